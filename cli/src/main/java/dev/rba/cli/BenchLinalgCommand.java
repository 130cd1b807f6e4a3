package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.tools.LinalgBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code rba bench linalg}: the statistics and the fit against the same library's raw sgemm. */
@Command(name = "linalg",
        header = "Times the streamed statistics and the fit against raw sgemm.",
        description = {"Times what the analysis does with activations of N rows and D columns: the",
                "streamed Gram X^T X (fed in batches, as captures arrive), the cross-Gram of",
                "two streams [X|Y], the fit (Cholesky solve of the D x D normal equations with",
                "D right-hand sides), and the same library's raw sgemm computing X^T X in one",
                "call. Prints seconds (median of repeats after warm-up), GFLOP/s and the ratio",
                "to raw sgemm. With --backend cuda: once in fp32 and once in TF32, from host",
                "memory (copies included; the copy share is the upload time over the wall",
                "time), both from ordinary memory (gram) and from page-locked memory",
                "(gram-pinned, where the analysis keeps its batch buffers).",
                "",
                "Example: rba bench linalg --backend cuda --rows 1000000 --dim 1024 \\",
                "           --batch-rows 65536 --ops gram,gram-pinned,fit"})
final class BenchLinalgCommand extends Subcommand {
    @Mixin
    BackendMixin backendChoice;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "50000", description = "Rows of X (samples x tokens). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dim", paramLabel = "D", defaultValue = "768", description = "Columns of X (the model width d). Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--batch-rows", paramLabel = "B", defaultValue = "6304",
            description = "Rows per streamed batch (32 images x 197 tokens = ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed repeats per operation; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmups", paramLabel = "N", defaultValue = "1", description = "Untimed warm-up runs per operation. Default: ${DEFAULT-VALUE}.")
    int warmups;

    @Option(names = "--ops", paramLabel = "LIST", defaultValue = "all", converter = OptionValues.Operations.class,
            description = "Operations to time, comma-separated from gram, gram-pinned (cuda: X in "
                    + "page-locked memory), cross-gram, fit, sgemm, or all (default ${DEFAULT-VALUE}).")
    OptionValues.BenchOperations ops;

    @Mixin
    JsonMixin json;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        LinalgBench.Config config = new LinalgBench.Config(rows, dim, batchRows, warmups, repeats,
                ops.operations());
        if (!common.quiet) err.println("rba: benchmarking " + rows + " x " + dim + " ...");
        List<LinalgBench.Report> reports = LinalgBench.run(backendChoice.backend, config);
        if (json.enabled) {
            out.println(Json.write(reports.stream().map(ReportJson::of).toList()));
        } else {
            for (LinalgBench.Report r : reports) out.print(r.table());
        }
        out.flush();
        return 0;
    }

    /** One backend's report under the keys tools/gpu reads (Json writes the components in order, in snake_case). */
    public record ReportJson(String backend, String detail, String cpu, int cpuThreads, int backendThreads, String gpu, int rows,
                             int dim, int batchRows, String note, List<ResultJson> results) {
        static ReportJson of(LinalgBench.Report r) {
            LinalgBench.Config c = r.config();
            return new ReportJson(r.backend(), r.detail(), r.cpuModel(), r.cpuThreads(), r.backendThreads(), r.gpuName(), c.rows(),
                    c.dim(), c.batchRows(), LinalgBench.Report.HEADER_NOTE, r.results().stream().map(ResultJson::of).toList());
        }
    }

    /** One timed operation. */
    public record ResultJson(String variant, String operation, double secondsMedian, double secondsMin, double gflops,
                             double ratioToSgemm, double copyShare) {
        static ResultJson of(LinalgBench.Result x) {
            return new ResultJson(x.variant(), x.operation(), x.medianSeconds(), x.minSeconds(), x.gflops(), x.ratioToSgemm(),
                    x.copyShare());
        }
    }
}
