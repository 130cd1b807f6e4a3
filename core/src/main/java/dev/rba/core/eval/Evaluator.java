package dev.rba.core.eval;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.FixedBatch;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.pipeline.StageTimes;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.runtime.CapturedBatch;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.runtime.OrtSessions;
import dev.rba.onnx.api.RuntimeOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a model, alone or against a baseline, on labelled or unlabelled data. Both models see every batch of the
 * data once, decoded once; both run in ONNX Runtime sessions with the same options; latency is timed on the first
 * batch with the two models taking turns ({@link LatencyHarness}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Size and cost of a model file, without running it on data. */
    public static ModelSize size(Path model) throws IOException {
        try (OnnxModelFile file = OnnxModelFile.read(model)) {
            return ModelSizes.of(file);
        }
    }

    public static EvaluationReport evaluate(Path model, Path baseline, CalibrationData data, EvaluationOptions options)
            throws IOException {
        return evaluate(model, baseline, data, options, EvaluationProgress.NONE);
    }

    /**
     * Runs {@code model} (and {@code baseline}, which may be null) on the first {@link EvaluationOptions#limit()}
     * samples of {@code data} (all when the limit is 0), which must have been opened for the model's inputs.
     *
     * @throws IllegalArgumentException when the models cannot be compared (different inputs, or outputs of different
     *                                  shapes), when the data is empty, or when a label is not a class of the output
     */
    public static EvaluationReport evaluate(Path model, Path baseline, CalibrationData data, EvaluationOptions options,
                                            EvaluationProgress progress) throws IOException {
        Objects.requireNonNull(data, "data");
        return evaluate(model, baseline, data, firstSamples(data, options), options, progress);
    }

    /** Indices of the first {@link EvaluationOptions#limit()} samples of {@code data} (all when the limit is 0). */
    public static int[] firstSamples(CalibrationData data, EvaluationOptions options) {
        int n = options.limit() > 0 ? Math.min(options.limit(), data.size()) : data.size();
        int[] samples = new int[n];
        for (int i = 0; i < n; i++) samples[i] = i;
        return samples;
    }

    /**
     * As above, on the chosen samples of {@code data} (indices, in the order to read them; the limit is not applied).
     */
    public static EvaluationReport evaluate(Path model, Path baseline, CalibrationData data, int[] samples,
                                            EvaluationOptions options, EvaluationProgress progress) throws IOException {
        return evaluate(model, baseline, data, samples, options, progress, new StageTimes());
    }

    /**
     * As above, adding the time of each stage to {@code times}: model read, sessions, data, the two models' runs,
     * latency, and sizes (MACs, which may run ONNX Runtime's shape probe).
     */
    public static EvaluationReport evaluate(Path model, Path baseline, CalibrationData data, int[] samples,
                                            EvaluationOptions options, EvaluationProgress progress, StageTimes times)
            throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        progress = progress == null ? EvaluationProgress.NONE : progress;
        RuntimeOptions runtime = RuntimeOptions.defaults().withThreads(options.threads()).withCuda(options.cuda());
        try (OnnxModelFile modelFile = times.time("model read", () -> OnnxModelFile.read(model));
             OnnxModelFile baseFile = baseline == null ? null : times.time("model read", () -> OnnxModelFile.read(baseline));
             ModelRunner modelRunner = times.time("session", () -> ModelRunner.open(modelFile, runtime));
             ModelRunner baseRunner = baseFile == null ? null : times.time("session", () -> ModelRunner.open(baseFile, runtime))) {
            String output = chooseOutput(modelRunner, baseRunner, options.output(), model, baseline);
            if (baseRunner != null) {
                checkSameInputs(modelRunner, baseRunner, model, baseline);
                checkSameOutputShape(modelRunner, baseRunner, output, model, baseline);
            }
            int n = samples.length;
            if (n == 0) throw new IllegalArgumentException("the evaluation data " + data.description() + " has no samples; give data with at least one sample");

            Pass pass = new Pass(n, baseRunner != null);
            int perRun = samplesPerRun(options.batchSize(), modelRunner, baseRunner);
            CalibrationInputs inputs = new CalibrationInputs(data, samples, perRun);
            List<InputTensor> latencyBatch = null;
            int latencyCount = 0;
            for (int start = 0; start < n; start += perRun) {
                int count = Math.min(perRun, n - start);
                int first = start;
                List<InputTensor> tensors = times.time("data", () -> inputs.batch(first, count));
                if (latencyBatch == null) {
                    latencyBatch = LatencyHarness.copyOf(tensors);
                    latencyCount = count;
                }
                CapturedBatch.ModelOutput mine = times.time("ORT run", () -> runBatch(modelRunner, tensors, count, output));
                CapturedBatch.ModelOutput theirs = baseRunner == null ? null
                        : times.time("ORT run baseline", () -> runBatch(baseRunner, tensors, count, output));
                pass.add(start, count, mine, theirs, model, baseline, output);
                progress.update("evaluating", start + count, n);
            }
            int[] labels = data.hasLabels() ? inputs.labels() : null;

            LatencyStats modelLatency = null;
            LatencyStats baseLatency = null;
            if (options.latencyRepeats() > 0) {
                LatencyHarness harness = new LatencyHarness(latencyBatch, latencyCount, output);
                List<ModelRunner> runners = baseRunner == null ? List.of(modelRunner) : List.of(modelRunner, baseRunner);
                final EvaluationProgress bars = progress;
                List<LatencyStats> stats = times.time("latency",
                        () -> harness.measure(runners, options.latencyWarmup(), options.latencyRepeats(), bars));
                modelLatency = stats.get(0);
                if (baseRunner != null) baseLatency = stats.get(1);
            }

            int length = ModelSizes.dynamicLength(modelFile, latencyBatch);
            ModelSize mineSize = times.time("sizes", () -> ModelSizes.of(modelFile, Math.max(0, length)));
            ModelSize baseSize = baseFile == null ? null : times.time("sizes", () -> ModelSizes.of(baseFile, Math.max(0, length)));
            ModelEvaluation mine = new ModelEvaluation(mineSize, output, pass.shape, n,
                    pass.correct(pass.modelTop1, labels, output), labels != null, modelLatency);
            ModelEvaluation base = baseRunner == null ? null : new ModelEvaluation(baseSize, output, pass.shape, n,
                    pass.correct(pass.baseTop1, labels, output), labels != null, baseLatency);
            Agreement agreement = baseRunner == null ? null : pass.agreement();

            List<String> notes = new ArrayList<>();
            notes.add("evaluated " + (isPrefix(samples) ? "the first " + n : n + " chosen") + " of " + data.size() + " samples, output '"
                    + output + "', top-1 = arg-max over " + pass.width + " values per sample");
            if (labels == null) notes.add("the data has no labels: accuracy is not available; agreement with the baseline is reported instead");
            if (modelLatency != null) {
                notes.add("latency: " + options.latencyRepeats() + " timed runs after " + options.latencyWarmup() + " warm-up runs of a batch of "
                        + latencyCount + (baseRunner != null ? ", the two models taking turns" : "")
                        + "; a run includes binding the inputs and copying the output out");
                if (latencyCount < perRun) {
                    notes.add("the data has fewer samples than the batch size: latency is for a batch of " + latencyCount);
                }
            }
            if (perRun < options.batchSize()) {
                notes.add((baseRunner == null ? "the model fixes" : "a model fixes") + " its batch at 1 (an input of "
                        + "shape [1,...]): every run, timed ones too, takes one sample");
            }
            if (length > 0) {
                notes.add("MACs per sample at the data's length of " + length + " (the model's input length is "
                        + "dynamic: MACs grow with it)");
            } else if (length < 0) {
                notes.add("MACs per sample are at block discovery's probe length, not the data's: the model's dynamic "
                        + "input dimensions have different sizes in the data");
            }
            if (data.skippedSamples() > 0) notes.add(data.skippedSamples() + " undecodable images were skipped");
            MachineInfo machine = MachineInfo.current(options.threads(), options.cuda(), ortVersion());
            return new EvaluationReport(mine, base, agreement, data.description(), machine, notes);
        }
    }

    /**
     * The options' batch size, or 1 where a model's inputs fix the batch at 1 ({@link FixedBatch}): both models run
     * the same batches.
     */
    private static int samplesPerRun(int requested, ModelRunner... runners) {
        int perRun = requested;
        for (ModelRunner r : runners) {
            if (r == null) continue;
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : r.inputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t) shapes.put(e.getKey(), t.getShape());
            }
            perRun = Math.min(perRun, FixedBatch.limit(shapes));
        }
        return perRun;
    }

    private static boolean isPrefix(int[] samples) {
        for (int i = 0; i < samples.length; i++) if (samples[i] != i) return false;
        return true;
    }

    private static CapturedBatch.ModelOutput runBatch(ModelRunner runner, List<InputTensor> tensors, int count, String output) {
        CapturedBatch.ModelOutput[] got = new CapturedBatch.ModelOutput[1];
        runner.run(ModelInputs.of(tensors.toArray(InputTensor[]::new)), count, List.of(output), b -> got[0] = b.outputs().get(output));
        return got[0];
    }

    private static String chooseOutput(ModelRunner model, ModelRunner baseline, String wanted, Path modelPath, Path basePath) {
        List<String> outs = model.outputNames();
        String output = wanted != null ? wanted : outs.get(0);
        if (!outs.contains(output)) {
            throw new IllegalArgumentException("model " + modelPath.getFileName() + " has no output '" + output + "'; its outputs are " + outs);
        }
        if (baseline != null && !baseline.outputNames().contains(output)) {
            throw new IllegalArgumentException("baseline " + basePath.getFileName() + " has no output '" + output + "' (its outputs are "
                    + baseline.outputNames() + "); compare models with a common output, or name one that both have");
        }
        return output;
    }

    /** The data was opened for the model; the baseline must take exactly the same inputs to be fed the same batches. */
    private static void checkSameInputs(ModelRunner model, ModelRunner baseline, Path modelPath, Path basePath) {
        Map<String, NodeInfo> mine = model.inputInfo();
        Map<String, NodeInfo> theirs = baseline.inputInfo();
        if (!mine.keySet().equals(theirs.keySet())) {
            throw new IllegalArgumentException("model " + modelPath.getFileName() + " takes inputs " + mine.keySet() + " but baseline "
                    + basePath.getFileName() + " takes " + theirs.keySet() + "; compare models with the same inputs");
        }
        for (String name : mine.keySet()) {
            if (!(mine.get(name).getInfo() instanceof TensorInfo a) || !(theirs.get(name).getInfo() instanceof TensorInfo b)) continue;
            if (a.type != b.type || !compatible(a.getShape(), b.getShape(), 0)) {
                throw new IllegalArgumentException("input '" + name + "' is " + a.type + " " + Arrays.toString(a.getShape()) + " in model "
                        + modelPath.getFileName() + " but " + b.type + " " + Arrays.toString(b.getShape()) + " in baseline "
                        + basePath.getFileName() + "; compare models with the same inputs");
            }
        }
    }

    /** Declared shapes (batch left out) must agree where both are known; the per-batch check catches the rest. */
    private static void checkSameOutputShape(ModelRunner model, ModelRunner baseline, String output, Path modelPath, Path basePath) {
        NodeInfo a = model.outputInfo().get(output);
        NodeInfo b = baseline.outputInfo().get(output);
        if (a.getInfo() instanceof TensorInfo ta && b.getInfo() instanceof TensorInfo tb && !compatible(ta.getShape(), tb.getShape(), 1)) {
            throw new IllegalArgumentException(outputMismatch(output, modelPath, ta.getShape(), basePath, tb.getShape()));
        }
    }

    static String outputMismatch(String output, Path modelPath, long[] mine, Path basePath, long[] theirs) {
        return "output '" + output + "' has shape " + Arrays.toString(mine) + " in model " + modelPath.getFileName() + " but "
                + Arrays.toString(theirs) + " in baseline " + basePath.getFileName()
                + "; the baseline must be the model the other was made from (same outputs)";
    }

    /** Same rank and, from dimension {@code from} on, equal sizes wherever both are known (>= 0). */
    private static boolean compatible(long[] a, long[] b, int from) {
        if (a.length != b.length) return false;
        for (int i = from; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
        return true;
    }

    private static String ortVersion() {
        try {
            return OrtSessions.environment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /** What the pass over the data keeps: top-1 per sample for both models and the agreement sums. */
    private static final class Pass {
        final int[] modelTop1;
        final int[] baseTop1;
        List<Long> shape;
        int width = -1;
        int same;
        double cosineSum;
        double minCosine = Double.POSITIVE_INFINITY;
        double maxAbsDiff;
        int compared;

        Pass(int n, boolean withBaseline) {
            modelTop1 = new int[n];
            baseTop1 = withBaseline ? new int[n] : null;
        }

        void add(int start, int count, CapturedBatch.ModelOutput mine, CapturedBatch.ModelOutput theirs, Path modelPath, Path basePath,
                 String output) {
            long[] s = mine.shape();
            if (s.length == 0 || s[0] != count) {
                throw new IllegalArgumentException("output '" + output + "' of model " + modelPath.getFileName() + " has shape "
                        + Arrays.toString(s) + " for a batch of " + count + "; compare an output whose first dimension is the batch");
            }
            if (shape == null) {
                List<Long> dims = new ArrayList<>();
                for (int i = 1; i < s.length; i++) dims.add(s[i]);
                shape = dims;
                width = mine.values().length / count;
                if (width == 0) throw new IllegalArgumentException("output '" + output + "' of model " + modelPath.getFileName() + " is empty");
            }
            if (mine.values().length != (long) width * count) {
                throw new IllegalArgumentException("output '" + output + "' of model " + modelPath.getFileName() + " changed size per sample between batches ("
                        + Arrays.toString(s) + "); compare an output of fixed size");
            }
            if (theirs != null && !Arrays.equals(Arrays.copyOfRange(theirs.shape(), 1, theirs.shape().length), Arrays.copyOfRange(s, 1, s.length))) {
                throw new IllegalArgumentException(outputMismatch(output, modelPath, s, basePath, theirs.shape()));
            }
            for (int i = 0; i < count; i++) {
                modelTop1[start + i] = OutputVectors.argmax(mine.values(), i, width);
                if (theirs == null) continue;
                baseTop1[start + i] = OutputVectors.argmax(theirs.values(), i, width);
                if (modelTop1[start + i] == baseTop1[start + i]) same++;
                double c = OutputVectors.cosine(mine.values(), theirs.values(), i, width);
                cosineSum += c;
                minCosine = Math.min(minCosine, c);
                maxAbsDiff = Math.max(maxAbsDiff, OutputVectors.maxAbsDiff(mine.values(), theirs.values(), i, width));
                compared++;
            }
        }

        int correct(int[] top1, int[] labels, String output) {
            if (labels == null) return 0;
            int c = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= width) {
                    throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is not a class of output '" + output + "', which has "
                            + width + " values per sample; give labels 0.." + (width - 1) + " or the model those labels belong to");
                }
                if (top1[i] == labels[i]) c++;
            }
            return c;
        }

        Agreement agreement() {
            return new Agreement(compared, same, compared == 0 ? Double.NaN : cosineSum / compared,
                    compared == 0 ? Double.NaN : minCosine, maxAbsDiff);
        }
    }
}
