package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.eval.EvaluationOptions;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.Evaluator;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.StageTimes;
import dev.rba.onnx.api.BlockDiscoveryException;
import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code rba evaluate}: how a model does on data, alone or side by side with the model it was made from. */
@Command(name = "evaluate",
        header = "Accuracy, agreement, size, MACs and latency, against a baseline.",
        description = {"Evaluates a model on data and, with --baseline, compares it side by side with",
                "the original: top-1 accuracy (when the data has labels), agreement with the",
                "baseline's top-1 predictions, mean cosine of the two models' outputs, weights,",
                "MACs per sample, file size, and ONNX Runtime latency per batch (median and",
                "p90; the two models take turns, so machine noise hits both alike).",
                "",
                "Without labels (an .npz without a 'labels' array, say) accuracy is not",
                "available; the agreement with the baseline tells how close the model is.",
                "",
                "Samples: all of the data by default; --limit N takes the first N,",
                "--samples N a seeded random N.",
                "",
                "Example:",
                "  rba evaluate vit_rba.onnx --baseline vit.onnx \\",
                "      --data fashion-mnist --split test"})
final class EvaluateCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to evaluate (e.g. the output of rba approximate).")
    Path model;

    @Option(names = "--baseline", paramLabel = "ORIGINAL.onnx",
            description = "The model to compare with, usually the original: same inputs and outputs.")
    Path baseline;

    @Mixin
    DataMixin data;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N samples of the data.")
    Integer limit;

    @Option(names = "--latency-repeats", paramLabel = "N", defaultValue = "" + EvaluationOptions.DEFAULT_REPEATS,
            description = "Timed runs of each model on one batch (default ${DEFAULT-VALUE}; 0 skips timing).")
    int latencyRepeats;

    @Option(names = "--latency-warmup", paramLabel = "N", defaultValue = "" + EvaluationOptions.DEFAULT_WARMUP,
            description = "Untimed runs of each model before timing (default ${DEFAULT-VALUE}).")
    int latencyWarmup;

    @Option(names = "--output-name", paramLabel = "NAME",
            description = "The model output tensor to compare (default: the model's first output, e.g. logits).")
    String outputName;

    @Mixin
    RuntimeMixin runtime;

    @Mixin
    JsonMixin json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        if (limit != null && data.samplesGiven()) {
            throw new IllegalArgumentException("give --limit (the first N samples) or --samples (N at random), not both");
        }
        if (limit != null && limit <= 0) throw new IllegalArgumentException("--limit must be positive, got " + limit);
        RuntimeOptions ort = runtime.runtimeOptions();
        EvaluationOptions options = new EvaluationOptions(limit == null ? 0 : limit, data.batchSize(), latencyWarmup,
                latencyRepeats, ort.threads(), outputName, ort.cuda());

        StageTimes times = new StageTimes();
        CalibrationData cd = openData(err, times);
        EvaluationReport report;
        try (StagedProgress bars = new StagedProgress(err, common.quiet)) {
            int[] samples = data.samplesGiven() ? data.sampleIndices(cd, cd.size()) : Evaluator.firstSamples(cd, options);
            report = Evaluator.evaluate(model, baseline, cd, samples, options, bars, times);
        }
        if (!common.quiet) err.println(times.line());
        err.flush();
        if (json.enabled) out.println(Json.write(EvaluationText.JsonReport.of(report, times.seconds())));
        else EvaluationText.print(out, report);
        out.flush();
        return 0;
    }

    /**
     * Opens the data for the model's inputs. Opening goes through {@link LoadedModel}, which needs the model's blocks;
     * when rba finds none in the model (every block replaced, say), the baseline's inputs serve: the evaluator checks
     * that both models take the same inputs anyway.
     */
    private CalibrationData openData(PrintWriter err, StageTimes times) throws Exception {
        StageTimes opening = new StageTimes();
        try (LoadedModel forData = openForData(opening)) {
            return times.time("data open", () -> data.open(forData, err, common.quiet));
        } finally {
            times.addAll("data open: ", opening);
        }
    }

    private LoadedModel openForData(StageTimes times) throws Exception {
        try {
            return LoadedModel.open(model, List.of(), times);
        } catch (BlockDiscoveryException e) {
            if (baseline == null) throw e;
            return LoadedModel.open(baseline, List.of(), times);
        }
    }
}
