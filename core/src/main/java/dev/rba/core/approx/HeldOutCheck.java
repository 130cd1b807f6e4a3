package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.pipeline.CalibrationInputs;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.runtime.RuntimeOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Scores models on the held-out samples: runs the original once (its predictions are what "agreement" compares
 * with), then each candidate, in memory with ONNX Runtime. Scores the output named "logits" when there is one, else
 * the model's first output; top-1 is the arg-max over each sample's output values.
 */
final class HeldOutCheck {
    private final CalibrationData data;
    private final int[] samples;
    private final int batchSize;
    private final RuntimeOptions runtime;
    private final Path dataFolder;
    private final ProgressListener progress;
    private String output;
    private float[] originalOutput;
    private int[] originalTop1;
    private int[] labels;
    private HeldOutScore original;

    HeldOutCheck(CalibrationData data, int[] samples, int batchSize, RuntimeOptions runtime, Path dataFolder,
                 ProgressListener progress) {
        this.data = data;
        this.samples = samples.clone();
        this.batchSize = batchSize;
        this.runtime = runtime;
        this.dataFolder = dataFolder;
        this.progress = progress;
    }

    int sampleCount() {
        return samples.length;
    }

    /** The original model's score (accuracy; agreement 1 by definition); runs it on first use. */
    HeldOutScore original(ModelProto originalModel) {
        if (original == null) {
            CalibrationInputs inputs = new CalibrationInputs(data, samples, batchSize);
            try (ModelRunner runner = ModelRunner.open(originalModel, dataFolder, runtime)) {
                List<String> outs = runner.outputNames();
                output = outs.contains("logits") ? "logits" : outs.getFirst();
                originalOutput = collect(runner, inputs, "check: original model");
            }
            labels = inputs.labels();
            originalTop1 = top1(originalOutput);
            original = score(originalOutput);
        }
        return original;
    }

    /** Scores a rewritten model; {@link #original} must have run. */
    HeldOutScore score(ModelProto model, String stage) {
        if (original == null) throw new IllegalStateException("score the original model first");
        try (ModelRunner runner = ModelRunner.open(model, dataFolder, runtime)) {
            return score(collect(runner, new CalibrationInputs(data, samples, batchSize), stage));
        }
    }

    private float[] collect(ModelRunner runner, CalibrationInputs inputs, String stage) {
        progress.update(stage, 0, samples.length);
        float[] y = runner.collect(new ProgressInputs(inputs, stage), batchSize, List.of(output)).get(output);
        progress.update(stage, samples.length, samples.length);
        return y;
    }

    private HeldOutScore score(float[] y) {
        if (y.length != originalOutput.length) {
            throw new IllegalStateException("output '" + output + "' has " + y.length + " values, the original's had "
                    + originalOutput.length);
        }
        int[] top1 = top1(y);
        int same = 0;
        int correct = 0;
        for (int i = 0; i < top1.length; i++) {
            if (top1[i] == originalTop1[i]) same++;
            if (labels != null && top1[i] == labels[i]) correct++;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < y.length; i++) {
            double e = (double) y[i] - originalOutput[i];
            num += e * e;
            den += (double) originalOutput[i] * originalOutput[i];
        }
        double accuracy = labels == null ? Double.NaN : (double) correct / top1.length;
        return new HeldOutScore(top1.length, accuracy, (double) same / top1.length, Math.sqrt(num / den));
    }

    private int[] top1(float[] y) {
        int n = samples.length;
        int per = y.length / n;
        if (per == 0 || (long) per * n != y.length) {
            throw new IllegalArgumentException("output '" + output + "' has " + y.length + " values for " + n
                    + " samples: rba scores models with one output vector per sample");
        }
        int[] out = new int[n];
        for (int s = 0; s < n; s++) {
            int best = 0;
            for (int c = 1; c < per; c++) if (y[s * per + c] > y[s * per + best]) best = c;
            out[s] = best;
        }
        return out;
    }

    /** Passes batches through and reports how many samples were served. */
    private final class ProgressInputs implements dev.rba.onnx.runtime.ModelInputs {
        private final CalibrationInputs inner;
        private final String stage;

        ProgressInputs(CalibrationInputs inner, String stage) {
            this.inner = inner;
            this.stage = stage;
        }

        @Override
        public long sampleCount() {
            return inner.sampleCount();
        }

        @Override
        public List<dev.rba.onnx.runtime.InputTensor> batch(long start, int count) {
            progress.update(stage, start, samples.length);
            return inner.batch(start, count);
        }
    }
}
