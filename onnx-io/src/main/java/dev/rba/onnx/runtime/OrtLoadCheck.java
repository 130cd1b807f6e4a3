package dev.rba.onnx.runtime;

import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks ONNX Runtime whether it can load a model, in a child JVM with a time and a memory limit. ONNX Runtime's loader
 * runs ONNX's type and shape inference, which some invalid models drive into loops that grow without end (an Expand
 * whose shape operand has billions of elements gets an output of that rank, built one dimension at a time: 5 GB
 * after a minute); its session creation cannot be cancelled, and a thread left running it inside rba's JVM would
 * keep growing until the kernel stops the whole process. rba's own checks refuse the causes it can name before this
 * (shapes that fit no memory), but values that only shape inference computes cannot be checked without redoing it,
 * so the load itself is bounded: the child is killed when it runs out of time or memory, and the model is refused.
 * The cost is a JVM start (about half a second) per check.
 */
public final class OrtLoadCheck {
    /** Child exit status for a model ONNX Runtime refuses (its message is the last line of the child's output). */
    private static final int REFUSED = 3;
    private static final String REFUSAL_PREFIX = "refused: ";
    private static final long MIB = 1L << 20;

    private OrtLoadCheck() {
    }

    /**
     * Throws {@link ModelRunException} with ONNX Runtime's reason when it cannot load {@code model}, or when loading
     * takes longer than {@code seconds} or more memory than {@code bytes} (resident, read where the system tells it:
     * Linux's /proc; elsewhere only the time limit holds).
     */
    static void check(ModelProto model, Path dataFolder, long seconds, long bytes) {
        check(model, dataFolder, seconds, bytes, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * As {@link #check(ModelProto, Path, long, long)}, with the child's temporary folder made under {@code scratchParent}
     * (a test gives a folder of its own, so that other processes' temporary folders do not change what it counts).
     */
    static void check(ModelProto model, Path dataFolder, long seconds, long bytes, Path scratchParent) {
        // streamed to the child (writeTo), not copied into a byte[]: a large inline model would otherwise sit on this
        // JVM's heap a second time while the child loads it
        long protoBytes = model.getSerializedSize();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        long heapMiB = Math.max(256, 2 * protoBytes / MIB + 128);
        command.addAll(List.of("-Xmx" + heapMiB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m"));
        Module module = OrtLoadCheck.class.getModule();
        if (module.isNamed()) {
            command.addAll(List.of("--module-path", System.getProperty("jdk.module.path", ""), "--add-modules", "ALL-MODULE-PATH"));
        }
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) command.addAll(List.of("-cp", classPath));
        if (module.isNamed()) command.addAll(List.of("-m", module.getName() + "/" + OrtLoadCheck.class.getName()));
        else command.add(OrtLoadCheck.class.getName());
        command.add(dataFolder == null ? "" : dataFolder.toAbsolutePath().normalize().toString());
        // ONNX Runtime's Java binding unpacks its native libraries into a folder under java.io.tmpdir that it leaves
        // behind (empty); the child gets a temporary folder of its own, removed when it ends, killed or not
        Path scratch;
        Process child;
        try {
            scratch = Files.createTempDirectory(scratchParent, "rba-ort-load");
            command.add(1, "-Djava.io.tmpdir=" + scratch);
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ModelRunException("cannot start a JVM to check that ONNX Runtime loads the model: " + e.getMessage(), e);
        }
        try {
            TailReader output = new TailReader(child.getInputStream());
            Thread.ofVirtual().start(output);
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (OutputStream in = child.getOutputStream()) {
                    model.writeTo(in);
                } catch (IOException ignored) {
                    // the child died early; its exit status says why
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long peak = 0;
            while (!child.waitFor(50, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, residentBytes(child.pid()));
                if (peak > bytes) {
                    throw killed(child, "took more than " + bytes / MIB + " MiB of memory while loading the model");
                }
                if (System.nanoTime() > deadline) {
                    throw killed(child, "did not finish loading the model in " + seconds + " s");
                }
            }
            feeder.join();
            String last = output.lastLine();
            int status = child.exitValue();
            if (status == 0) return;
            if (status == REFUSED && last.startsWith(REFUSAL_PREFIX)) {
                throw new ModelRunException(last.substring(REFUSAL_PREFIX.length()));
            }
            throw new ModelRunException("ONNX Runtime cannot load the model: its load check ended with status " + status
                    + (last.isEmpty() ? "" : " (" + last + ")") + "; check that the model is valid ONNX");
        } catch (InterruptedException e) {
            child.destroyForcibly();   // no waiting for it: the thread was asked to stop
            Thread.currentThread().interrupt();
            throw new ModelRunException("interrupted while ONNX Runtime was loading the model", e);
        } finally {
            if (child.isAlive()) child.destroyForcibly();
            removeTree(scratch);
        }
    }

    private static void removeTree(Path folder) {
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // a file the killed child still held; the system's temporary-file cleaning takes it
        }
    }

    /** Kills the child and waits until it is gone, so that its memory is free when the refusal is reported. */
    private static void stop(Process child) throws InterruptedException {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
    }

    /** Memory for a load: 2 GiB for ONNX Runtime and the JVM, plus three times the model's protobuf and external data. */
    static long memoryLimit(ModelProto model) {
        return 2048 * MIB + 3 * modelBytes(model);
    }

    /**
     * Time for a load: 60 s, plus 10 s per GiB of the model, external data included (a big model's weights are read
     * and copied, wherever they are stored).
     */
    static long timeLimit(ModelProto model) {
        return 60 + 10 * (modelBytes(model) / (1024 * MIB));
    }

    /** The model's protobuf plus the external data its initializers name. */
    private static long modelBytes(ModelProto model) {
        long external = 0;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (TensorShapes.isExternal(t)) external += TensorShapes.rawByteSize(t);
        }
        return model.getSerializedSize() + external;
    }

    private static ModelRunException killed(Process child, String what) throws InterruptedException {
        stop(child);
        return new ModelRunException("ONNX Runtime " + what + " and was stopped: a shape it infers is likely absurd (a huge"
                + " shape tensor or rank); check the model's Reshape, Expand and ConstantOfShape shapes or re-export it");
    }

    /** Resident memory of a process from /proc (Linux); 0 where the system does not say. */
    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no /proc, or the process just ended
        }
        return 0;
    }

    /** Keeps the last 16 KiB of a stream (ONNX Runtime's warnings can be many), read until it ends. */
    private static final class TailReader implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
        private volatile boolean done;

        TailReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (tail) {
                        tail.write(buf, 0, n);
                        if (tail.size() > 32768) {
                            byte[] keep = tail.toByteArray();
                            tail.reset();
                            tail.write(keep, keep.length - 16384, 16384);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child was killed
            } finally {
                done = true;
            }
        }

        String lastLine() throws InterruptedException {
            for (int i = 0; i < 100 && !done; i++) Thread.sleep(10);   // the pipe drains right after the child ends
            String s;
            synchronized (tail) {
                s = tail.toString(StandardCharsets.UTF_8).strip();
            }
            int nl = s.lastIndexOf('\n');
            return nl < 0 ? s : s.substring(nl + 1);
        }
    }

    /**
     * The child: reads the model's protobuf from standard input, opens a session as {@link OrtSessions#open} does
     * (one thread, no graph optimisation) and exits 0, or {@value #REFUSED} with ONNX Runtime's reason on the last
     * line. Argument: the folder that the model's external data paths resolve in, or empty.
     */
    public static void main(String[] args) throws IOException {
        byte[] bytes = System.in.readAllBytes();
        Path folder = args.length > 0 && !args[0].isEmpty() ? Path.of(args[0]) : null;
        int status = 0;
        try {
            try (var ignored = OrtSessions.open(bytes, folder, new RuntimeOptions(1, false))) {
                // opening was the check
            }
        } catch (ModelRunException e) {
            System.out.println(REFUSAL_PREFIX + oneLine(e.getMessage()));
            status = REFUSED;
        } catch (Exception e) {
            System.out.println(REFUSAL_PREFIX + "ONNX Runtime cannot load the model: " + oneLine(String.valueOf(e.getMessage())));
            status = REFUSED;
        }
        System.out.flush();
        System.exit(status);
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
