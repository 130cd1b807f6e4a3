package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.ForwardingInputs;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Scores models on held-out samples: runs the original once (what every candidate is compared with), then each
 * candidate, in memory with ONNX Runtime, on all the samples or on the first n of them (a cheap early look in a
 * staged search). Scores the output named "logits" when there is one, else the model's first output, with the
 * {@link QualityMeasure} that fits it (detected from its name and shape) unless one is given.
 */
public final class HeldOutCheck {
    private final CalibrationData data;
    private final int[] samples;
    private final int batchSize;
    private final RuntimeOptions runtime;
    private final Path dataFolder;
    private final ProgressListener progress;
    private final QualityMeasure forced;
    private final int tokenWidth;
    private final String maskInput;
    private String output;
    private OutputComparison comparison;
    private HeldOutScore original;

    /**
     * @param measure    the measure to use, or null to detect it from the output
     * @param tokenWidth width of one token vector (the residual width d) for token embeddings of unknown shape
     * @param maskInput  the model's padding-mask input (as {@code LoadedModel.maskInput()} names it), whose zeros mark tokens that
     *                   mean-pooling leaves out; null for none
     */
    public HeldOutCheck(CalibrationData data, int[] samples, int batchSize, RuntimeOptions runtime, Path dataFolder,
                        ProgressListener progress, QualityMeasure measure, int tokenWidth, String maskInput) {
        this.data = data;
        this.samples = samples.clone();
        this.batchSize = batchSize;
        this.runtime = runtime;
        this.dataFolder = dataFolder;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.forced = measure;
        this.tokenWidth = tokenWidth;
        this.maskInput = maskInput;
    }

    public int sampleCount() {
        return samples.length;
    }

    /** The measure in use; known once the original has run. */
    public QualityMeasure measure() {
        return comparison == null ? forced : comparison.measure();
    }

    /** The output scored; known once the original has run. */
    public String output() {
        return output;
    }

    /** The original model's score (drop 0 by definition); runs it on first use. */
    public HeldOutScore original(dev.rba.core.pipeline.LoadedModel model) {
        return original(OnnxLoadedModel.of(model).file().proto());
    }

    /** An approximation on the first {@code n} held-out samples; {@link #original} must have run. */
    public HeldOutScore score(Approximation a, int n) {
        return score(a.proto(), "check: " + Span.text(a.spans()), n);
    }

    /**
     * An approximation's scored output on the first {@code n} held-out samples, for a caller that compares it with
     * the original itself through {@link #comparison()} (e.g. to keep each sample's loss); {@link #original} must
     * have run.
     */
    public float[] outputs(Approximation a, int n) {
        return extend(a.proto(), "check: " + Span.text(a.spans()), new float[0], clamp(n));
    }

    /** How outputs are compared with the original's; known once the original has run. */
    public OutputComparison comparison() {
        if (original == null) throw new IllegalStateException("score the original model first");
        return comparison;
    }

    HeldOutScore original(ModelProto originalModel) {
        if (original == null) {
            CalibrationInputs inputs = new CalibrationInputs(data, samples, batchSize);
            MaskRecorder recorder = new MaskRecorder(inputs, "check: original model");
            long[][] shape = new long[1][];
            float[] y;
            try (ModelRunner runner = ModelRunner.open(originalModel, dataFolder, runtime)) {
                List<String> outs = runner.outputNames();
                output = outs.contains("logits") ? "logits" : outs.getFirst();
                recorder.maskInput = maskInput != null && runner.inputNames().contains(maskInput) ? maskInput : null;
                y = collect(runner, recorder, samples.length, shape);
            }
            QualityMeasure m = forced != null ? forced : QualityMeasure.detect(output, shape[0]);
            int perSample = y.length / samples.length;
            int width = shape[0].length == 3 ? (int) shape[0][2] : tokenWidth;
            byte[] mask = recorder.mask(samples.length, width > 0 ? perSample / width : 0);
            comparison = new OutputComparison(m, y, perSample, width, mask, inputs.labels());
            original = comparison.original();
        }
        return original;
    }

    /** Scores a rewritten model on all held-out samples; {@link #original} must have run. */
    HeldOutScore score(ModelProto model, String stage) {
        return score(model, stage, samples.length);
    }

    /** Scores a rewritten model on the first {@code n} held-out samples. */
    HeldOutScore score(ModelProto model, String stage, int n) {
        int count = clamp(n);
        return comparison.compare(extend(model, stage, new float[0], count), count);
    }

    /** n as a count of held-out samples to run: at least 1, at most all. */
    private int clamp(int n) {
        return Math.max(1, Math.min(n, samples.length));
    }

    /**
     * The model's outputs on the first {@code n} held-out samples, given its outputs {@code known} on a first part of
     * them: only the samples not yet run are run (a staged search looks at growing prefixes of the same samples).
     */
    float[] extend(ModelProto model, String stage, float[] known, int n) {
        try (ModelRunner runner = needsRun(known, n) ? open(model) : null) {
            return extend(runner, stage, known, n);
        }
    }

    /** Whether outputs {@code known} lack some of the first {@code n} samples. */
    boolean needsRun(float[] known, int n) {
        if (original == null) throw new IllegalStateException("score the original model first");
        return known.length / comparison.perSample() < n;
    }

    /** An ONNX Runtime session of a model to check, for {@link #extend(ModelRunner, String, float[], int)}. */
    ModelRunner open(ModelProto model) {
        return ModelRunner.open(model, dataFolder, runtime);
    }

    /** {@link #extend(ModelProto, String, float[], int)} on a session the caller keeps (null when none is needed). */
    float[] extend(ModelRunner runner, String stage, float[] known, int n) {
        if (original == null) throw new IllegalStateException("score the original model first");
        int perSample = comparison.perSample();
        int have = known.length / perSample;
        if (have >= n) return Arrays.copyOf(known, n * perSample);
        CalibrationInputs inputs = new CalibrationInputs(data, Arrays.copyOfRange(samples, have, n), batchSize);
        float[] more = collect(runner, new MaskRecorder(inputs, stage), n - have, new long[1][]);
        float[] all = Arrays.copyOf(known, n * perSample);
        System.arraycopy(more, 0, all, known.length, more.length);
        return all;
    }

    /** Scores outputs of the first {@code y.length / perSample} held-out samples. */
    HeldOutScore compare(float[] y) {
        return comparison.compare(y, y.length / comparison.perSample());
    }

    private float[] collect(ModelRunner runner, MaskRecorder inputs, int n, long[][] shape) {
        progress.update(inputs.stage, 0, n);
        float[][] parts = new float[(n + batchSize - 1) / batchSize][];
        runner.run(inputs, batchSize, List.of(output), b -> {
            var o = b.outputs().get(output);
            if (shape[0] == null) shape[0] = o.shape();
            parts[(int) (b.start() / batchSize)] = o.values();
        });
        int total = 0;
        for (float[] p : parts) total += p.length;
        float[] y = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, y, at, p.length);
            at += p.length;
        }
        if (y.length % n != 0) {
            throw new IllegalArgumentException("output '" + output + "' has " + y.length + " values for " + n
                    + " samples: rba scores outputs with the same number of values per sample");
        }
        progress.update(inputs.stage, n, n);
        return y;
    }

    /** Passes batches through, reports progress, and keeps the attention mask (1 byte per token) when asked to. */
    private final class MaskRecorder extends ForwardingInputs {
        private final String stage;
        private final ByteArrayOutputStream mask = new ByteArrayOutputStream();
        private String maskInput;

        MaskRecorder(CalibrationInputs inner, String stage) {
            super(inner);
            this.stage = stage;
        }

        @Override
        public List<InputTensor> batch(long start, int count) {
            progress.update(stage, start, inner.sampleCount());
            List<InputTensor> b = inner.batch(start, count);
            if (maskInput != null) {
                for (InputTensor t : b) {
                    if (!t.name().equals(maskInput)) continue;
                    long values = 1;
                    for (long d : t.shape()) values *= d;
                    for (long i = 0; i < values; i++) mask.write(t.longAt(i) != 0 ? 1 : 0);
                }
            }
            return b;
        }

        /** The mask as [samples * tokens], or null when there is none or it does not match the output's tokens. */
        byte[] mask(int samples, int tokens) {
            byte[] m = mask.toByteArray();
            return tokens > 0 && m.length == (long) samples * tokens ? m : null;
        }
    }
}
