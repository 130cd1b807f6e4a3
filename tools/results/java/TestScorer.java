import dev.rba.core.data.CalibrationData;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores saved models on a fixed evaluation set: top-1 accuracy against the labels and top-1 agreement with the
 * original model, whose predictions are computed once. One ONNX Runtime session per scored model; nothing else is
 * kept, so hundreds of variants can be scored in one JVM.
 */
final class TestScorer {
    record Score(double accuracy, double agreement) {
    }

    private static final int BATCH = 100;
    private final CalibrationData data;
    private final int[] samples;
    private final int[] originalTop1;
    private final int[] labels;
    final Score original;

    TestScorer(Path originalModel, CalibrationData data) throws IOException {
        this.data = data;
        this.samples = new int[data.size()];
        for (int i = 0; i < samples.length; i++) samples[i] = i;
        CalibrationInputs inputs = new CalibrationInputs(data, samples, BATCH);
        float[] logits = run(originalModel, inputs);
        this.labels = inputs.labels();
        if (labels == null) throw new IllegalArgumentException("the evaluation data has no labels: give labelled test data");
        this.originalTop1 = top1(logits);
        this.original = score(originalTop1);
    }

    int size() {
        return samples.length;
    }

    Score score(Path model) throws IOException {
        return score(top1(run(model, new CalibrationInputs(data, samples, BATCH))));
    }

    private Score score(int[] top1) {
        int correct = 0;
        int same = 0;
        for (int i = 0; i < top1.length; i++) {
            if (top1[i] == labels[i]) correct++;
            if (top1[i] == originalTop1[i]) same++;
        }
        return new Score((double) correct / top1.length, (double) same / top1.length);
    }

    private static float[] run(Path model, CalibrationInputs inputs) throws IOException {
        try (OnnxModelFile file = OnnxModelFile.read(model);
             ModelRunner runner = ModelRunner.open(file, RuntimeOptions.defaults())) {
            return runner.collect(inputs, BATCH, List.of("logits")).get("logits");
        }
    }

    private int[] top1(float[] y) {
        int per = y.length / samples.length;
        int[] out = new int[samples.length];
        for (int s = 0; s < out.length; s++) {
            int best = 0;
            for (int c = 1; c < per; c++) if (y[s * per + c] > y[s * per + best]) best = c;
            out[s] = best;
        }
        return out;
    }
}
