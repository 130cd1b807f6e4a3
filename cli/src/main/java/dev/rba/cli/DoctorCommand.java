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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code rba doctor}: what this machine offers rba, and which backend {@code auto} would pick. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Checks Java, native libraries, GPUs and which backend runs.",
        description = {"Checks the Java runtime, the native libraries (CUDA runtime, cuBLAS, cuSOLVER,",
                "OpenBLAS, LAPACKE) and each linear-algebra backend, and says which one",
                "--backend auto picks and why.",
                "",
                "Library search: -Drba.cuda.path / RBA_CUDA_PATH (a folder with libcudart,",
                "libcublas, libcusolver), -Drba.openblas.path / RBA_OPENBLAS_PATH (a file or",
                "folder, or 'bundled' / 'system'), versioned names (libcublas.so.13, .12, .11),",
                "LD_LIBRARY_PATH, the system loader. OpenBLAS with LAPACKE is bundled with rba,",
                "so the openblas backend works without system packages."},
        sortOptions = false)
final class DoctorCommand extends Subcommand {
    @Mixin
    JsonMixin json;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("java", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")");
        report.put("cpu", LinalgBench.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " hardware threads");
        List<Map<String, Object>> libs = new ArrayList<>();
        for (NativeLibraryStatus s : NativeDoctor.probe()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("available", s.available());
            e.put("path", s.path());
            e.put("found_by", s.source());
            e.put("version", s.version());
            e.put("problem", s.problem());
            libs.add(e);
        }
        report.put("libraries", libs);
        List<Map<String, Object>> gpus = new ArrayList<>();
        try {
            for (NativeDoctor.CudaDevice g : NativeDoctor.cudaDevices()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("ordinal", g.ordinal());
                e.put("name", g.name());
                e.put("compute_capability", g.computeMajor() + "." + g.computeMinor());
                e.put("multiprocessors", g.multiprocessors());
                e.put("memory_bytes", g.totalBytes());
                e.put("free_bytes", g.freeBytes());
                gpus.add(e);
            }
        } catch (RuntimeException | LinkageError e) {
            report.put("gpu_problem", CliErrors.oneLine(e));
        }
        report.put("gpus", gpus);
        List<Map<String, Object>> backends = new ArrayList<>();
        for (BackendInfo b : Backends.describeAll()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", b.name());
            e.put("available", b.available());
            e.put("detail", b.detail());
            backends.add(e);
        }
        report.put("backends", backends);
        BackendSelection sel = Backends.open(null);
        try (var chosen = sel.backend()) {
            report.put("auto_choice", chosen.name());
            report.put("auto_reason", sel.summary());
        }
        if (json.enabled) out.println(Json.write(report));
        else printText(out, report);
        out.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> r) {
        Tables.paragraph(out, "java      ", String.valueOf(r.get("java")));
        Tables.paragraph(out, "cpu       ", String.valueOf(r.get("cpu")));
        out.println();
        Tables libs = new Tables("library", "status", "version; path, or problem");
        for (Map<String, Object> l : (List<Map<String, Object>>) r.get("libraries")) {
            boolean ok = Boolean.TRUE.equals(l.get("available"));
            String version = l.get("version") == null ? "" : l.get("version") + "\n";
            libs.row(l.get("name"), ok ? "ok" : "missing",
                    ok ? version + l.get("path") + " (" + l.get("found_by") + ")" : brief(l.get("problem")));
        }
        libs.print(out);
        out.println();
        List<Map<String, Object>> gpus = (List<Map<String, Object>>) r.get("gpus");
        if (gpus.isEmpty()) Tables.paragraph(out, "gpu       ", "none" + (r.containsKey("gpu_problem") ? " (" + r.get("gpu_problem") + ")" : ""));
        for (Map<String, Object> g : gpus) {
            out.printf("gpu %s     %s, compute %s, %d SMs, %.1f GiB (%.1f GiB free)%n", g.get("ordinal"), g.get("name"),
                    g.get("compute_capability"), g.get("multiprocessors"), (Long) g.get("memory_bytes") / 1073741824.0,
                    (Long) g.get("free_bytes") / 1073741824.0);
        }
        out.println();
        Tables b = new Tables("backend", "status", "detail");
        for (Map<String, Object> e : (List<Map<String, Object>>) r.get("backends")) {
            b.row(e.get("name"), Boolean.TRUE.equals(e.get("available")) ? "ok" : "unavailable", brief(e.get("detail")));
        }
        b.print(out);
        out.println();
        out.println("--backend auto picks " + r.get("auto_choice") + " (--json or --verbose list every path tried)");
    }

    /** The first sentence of a loader message: the list of every path tried is for --json and --verbose. */
    private static String brief(Object message) {
        String m = String.valueOf(message);
        int tried = m.indexOf(" Tried:");
        return tried < 0 || CommonOptions.verboseErrors ? m : m.substring(0, tried);
    }
}
