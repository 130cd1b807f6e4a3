package dev.rba.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fuzz execution: the bytes become {@code model.onnx} in a scratch folder and {@code rba inspect --json} runs on
 * it in-process, which reads the file, validates it, asks ONNX Runtime to load it and discovers its blocks. The only
 * acceptable outcomes are exit 0, or exit 2 with one line on stderr; exit 1 (an exception that is not a documented
 * bad-input type), anything thrown past the CLI, and a run over {@link #LIMIT_SECONDS} s are findings. The time is
 * the process's CPU time (ONNX Runtime's threads and the load check's child JVM included), so that a machine busy with other builds does not turn a
 * 2-second input into a finding; a run still going after {@link #HANG_SECONDS} s of wall time is one regardless.
 */
final class InspectFuzzTarget implements AutoCloseable {
    static final int LIMIT_SECONDS = 5;
    static final int HANG_SECONDS = 60;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** What happened to one input. */
    record Outcome(int exitCode, String detail, double seconds) {
        boolean isFinding() {
            return exitCode != 0 && exitCode != 2;
        }
    }

    private final Path model;
    private ExecutorService worker = newWorker();

    InspectFuzzTarget(Path scratch) {
        this.model = scratch.resolve("model.onnx");
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fuzz-inspect").unstarted(r));
    }

    Outcome run(byte[] input) throws IOException, InterruptedException {
        Files.write(model, input);
        long cpu0 = cpuNanos();
        Future<Outcome> f = worker.submit(() -> inspect(model));
        try {
            Outcome o = f.get(HANG_SECONDS, TimeUnit.SECONDS);
            double cpu = (cpuNanos() - cpu0) / 1e9;
            if (cpu > LIMIT_SECONDS) return new Outcome(-1, "slow: " + cpu + " s of CPU (" + o.detail() + ")", cpu);
            return new Outcome(o.exitCode(), o.detail(), cpu);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();   // the stuck thread is a daemon; the next input gets a fresh one
            return new Outcome(-1, "hang: still running after " + HANG_SECONDS + " s", HANG_SECONDS);
        } catch (ExecutionException e) {
            return new Outcome(-2, "thrown past the CLI: " + e.getCause(), (cpuNanos() - cpu0) / 1e9);
        }
    }

    /**
     * CPU time of this process and of its ended children (ONNX Runtime's load check runs in a child JVM), from
     * /proc/self/stat where there is one; the children's share is counted once they have been waited for.
     */
    static long cpuNanos() {
        long own = OS.getProcessCpuTime();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 16 and 17 of stat (cutime, cstime), counted from field 3 after the command name, in 1/100 s
            return own + (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return own;
        }
    }

    private static Outcome inspect(Path model) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code;
        try {
            code = cli.execute("inspect", model.toString(), "--json");
        } catch (Throwable t) {   // an Error (stack overflow, out of memory) is a finding, not the end of the run
            return new Outcome(-3, "thrown: " + t, 0);
        }
        String e = err.toString().strip();
        if (code == 2 && (e.lines().count() != 1 || e.contains("\tat "))) {
            return new Outcome(-4, "exit 2 without a one-line message: " + e, 0);
        }
        return new Outcome(code, e.isEmpty() ? "ok" : e, 0);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
