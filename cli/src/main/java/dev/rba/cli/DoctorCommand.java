package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.tools.LinalgBench;
import dev.rba.core.linalg.BackendInfo;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.linalg.Backends;
import dev.rba.nativelib.api.NativeDoctor;
import dev.rba.nativelib.api.NativeLibraryStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code rba doctor}: what this machine offers rba, and which backend {@code auto} would pick. */
@Command(name = "doctor",
        header = "Checks Java, native libraries, GPUs and which backend runs.",
        description = {"Checks the Java runtime, the native libraries (CUDA runtime, cuBLAS, cuSOLVER,",
                "OpenBLAS, LAPACKE) and each linear-algebra backend, and says which one",
                "--backend auto picks and why.",
                "",
                "Library search: -Drba.cuda.path / RBA_CUDA_PATH (a folder with libcudart,",
                "libcublas, libcusolver), -Drba.openblas.path / RBA_OPENBLAS_PATH (a file or",
                "folder, or 'bundled' / 'system'), versioned names (libcublas.so.13, .12, .11),",
                "LD_LIBRARY_PATH, the system loader. OpenBLAS with LAPACKE is bundled with rba,",
                "so the openblas backend works without system packages."})
final class DoctorCommand extends Subcommand {
    @Mixin
    JsonMixin json;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        Report report = Report.probe();
        if (json.enabled) out.println(Json.write(report));
        else printText(out, report);
        out.flush();
        return 0;
    }

    /**
     * What doctor finds, as JSON writes it (components in order, snake_case keys) and as the text tables read it.
     *
     * @param gpuProblem why the GPUs could not be listed; null when they could
     */
    public record Report(String java, String cpu, List<NativeLibraryStatus> libraries, String gpuProblem, List<Gpu> gpus,
                  List<BackendInfo> backends, String autoChoice, String autoReason) {

        static Report probe() {
            String java = Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")";
            String cpu = LinalgBench.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " hardware threads";
            List<NativeLibraryStatus> libraries = NativeDoctor.probe();
            List<Gpu> gpus = new ArrayList<>();
            String gpuProblem = null;
            try {
                for (NativeDoctor.CudaDevice g : NativeDoctor.cudaDevices()) gpus.add(Gpu.of(g));
            } catch (RuntimeException | LinkageError e) {
                gpuProblem = CliErrors.oneLine(e);
            }
            List<BackendInfo> backends = Backends.describeAll();
            BackendSelection sel = Backends.open(null);
            try (var chosen = sel.backend()) {
                return new Report(java, cpu, libraries, gpuProblem, gpus, backends, chosen.name(), sel.summary());
            }
        }
    }

    /** One GPU: its compute capability as "major.minor", memory in bytes. */
    public record Gpu(int ordinal, String name, String computeCapability, int multiprocessors, long memoryBytes, long freeBytes) {
        static Gpu of(NativeDoctor.CudaDevice g) {
            return new Gpu(g.ordinal(), g.name(), g.computeMajor() + "." + g.computeMinor(), g.multiprocessors(), g.totalBytes(),
                    g.freeBytes());
        }
    }

    private static void printText(PrintWriter out, Report r) {
        Tables.paragraph(out, "java      ", r.java());
        Tables.paragraph(out, "cpu       ", r.cpu());
        out.println();
        Tables libs = new Tables("library", "status", "version; path, or problem");
        for (NativeLibraryStatus l : r.libraries()) {
            String version = l.version() == null ? "" : l.version() + "\n";
            libs.row(l.name(), l.available() ? "ok" : "missing",
                    l.available() ? version + l.path() + " (" + l.foundBy() + ")" : brief(l.problem()));
        }
        libs.print(out);
        out.println();
        if (r.gpus().isEmpty()) Tables.paragraph(out, "gpu       ", "none" + (r.gpuProblem() != null ? " (" + r.gpuProblem() + ")" : ""));
        for (Gpu g : r.gpus()) {
            out.printf("gpu %s     %s, compute %s, %d SMs, %.1f GiB (%.1f GiB free)%n", g.ordinal(), g.name(),
                    g.computeCapability(), g.multiprocessors(), g.memoryBytes() / 1073741824.0, g.freeBytes() / 1073741824.0);
        }
        out.println();
        Tables b = new Tables("backend", "status", "detail");
        for (BackendInfo e : r.backends()) b.row(e.name(), e.available() ? "ok" : "unavailable", brief(e.detail()));
        b.print(out);
        out.println();
        out.println("--backend auto picks " + r.autoChoice() + " (--json or --verbose list every path tried)");
    }

    /** The first sentence of a loader message: the list of every path tried is for --json and --verbose. */
    private static String brief(String message) {
        String m = String.valueOf(message);
        int tried = m.indexOf(" Tried:");
        return tried < 0 || CommonOptions.verboseErrors ? m : m.substring(0, tried);
    }
}
