package dev.rba.core.pipeline;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.linalg.Backend;
import dev.rba.core.onnx.CapturePass;
import dev.rba.core.onnx.CaptureTarget;
import dev.rba.core.onnx.OnnxLoadedModel;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One pass of calibration data through a loaded model: its statistics over h_0..h_L, accumulated batch by batch
 * (the pass itself, which also serves models changed in memory, is core's own {@link CapturePass}), with the summary
 * token chosen from the model and the data when the options leave it open.
 */
public final class CalibrationPass {
    private CalibrationPass() {
    }

    /**
     * Runs all h_0..h_L of {@code model} over the chosen samples; see {@link CapturePass#run}. The options' batch
     * size is a most: a model whose inputs fix the batch at 1 runs one sample per run ({@link BatchSizing#forModel}).
     */
    public static CalibrationResult run(LoadedModel model, CalibrationData data, int[] samples, Backend backend,
                                        CalibrationOptions requested, LongConsumer progress, Consumer<OutputBatch> outputs) {
        CalibrationOptions options = requested.withBatchSize(BatchSizing.forModel(requested.batchSize(), model));
        SummaryToken.Choice choice = options.summaryToken() != null ? SummaryToken.given(options.summaryToken())
                : SummaryToken.fromData(model, data, samples, CapturePass.captureRuntime(options.ortThreads(), options.cudaProvider()),
                        model.maskOption());
        CalibrationOptions resolved = options.withSummaryToken(choice.token());
        CalibrationResult r = CapturePass.run(CaptureTarget.of(OnnxLoadedModel.of(model)), data, samples, backend, resolved, progress, outputs);
        return new CalibrationResult(r.fitStatistics(), r.similarityStatistics(), r.boundaryNames(), choice,
                r.similarityTokens(), r.samples(), r.labels(), r.timings(), r.backend());
    }
}
