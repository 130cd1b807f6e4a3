import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.HeldOutCheck;
import dev.rba.core.approx.ProgressListener;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanPredictor;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataBatch;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.BatchSizing;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.onnx.api.RuntimeOptions;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every set of K blocks of one classifier, fitted as `rba approximate --remove K` fits it, and its class scores on
 * the selection's own held-out calibration samples (in the order its stages read them) and on the test images; the
 * original's too, and the labels. tools/selection/simulate_checks.py replays selection rules on these outputs
 * (which candidates a rule checks, in which order, on which samples) without running a model again, and scores each
 * rule's choice on the test images.
 *
 * <p>Arguments: MODEL CALIBRATION TEST K TEST_LIMIT OUT_DIR [SPLIT_CAL SPLIT_TEST]. Writes OUT_DIR/meta.json (sets,
 * every span's predictors, sizes), labels-{check,test}.i32 and {check,test}.f32: the original's scores first, then
 * each set's in meta.json's order, [samples, classes] each, little-endian. Only for class-score outputs.
 */
public class SetOutputs {
    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args[0]);
        Path calPath = Path.of(args[1]);
        Path testPath = Path.of(args[2]);
        int k = Integer.parseInt(args[3]);
        int testLimit = Integer.parseInt(args[4]);
        Path out = Path.of(args[5]);
        String calSplit = args.length > 6 && !args[6].equals("-") ? args[6] : null;
        String testSplit = args.length > 7 && !args[7].equals("-") ? args[7] : null;
        Files.createDirectories(out);
        try (LoadedModel model = LoadedModel.open(modelPath, null);
             Backend backend = Backends.open("auto").backend()) {
            CalibrationData cal = DataSources.open(calPath, model.inputSpecs(), new DataOptions(calSplit, false, null, model.metadata()));
            CalibrationData test = DataSources.open(testPath, model.inputSpecs(), new DataOptions(testSplit, false, null, model.metadata()));
            int blocks = model.blockCount();
            int batch = BatchSizing.forCapture(blocks + 1, model);
            ApproximationOptions o = ApproximationOptions.defaults().withSamples(500, 500).withBatchSize(batch).withRuntime(1, false);
            Approximator a = new Approximator(model, cal, backend, o, ProgressListener.NONE);
            List<StreamPair> pairs = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                for (int j = i; j < blocks && j - i < k; j++) pairs.add(new StreamPair(i, j + 1));
            }
            StreamStatistics stats = a.statistics(pairs);
            int[] check = a.split().check();
            int[] tests = new int[Math.min(testLimit, test.size())];
            for (int i = 0; i < tests.length; i++) tests[i] = i;
            RuntimeOptions rt = RuntimeOptions.defaults().withThreads(1);
            HeldOutCheck onCheck = new HeldOutCheck(cal, check, batch, rt, model.path().getParent(), ProgressListener.NONE,
                    null, (int) model.d(), model.maskInput());
            HeldOutCheck onTest = new HeldOutCheck(test, tests, 50, rt, model.path().getParent(), ProgressListener.NONE,
                    null, (int) model.d(), model.maskInput());
            onCheck.original(model);
            onTest.original(model);
            writeLabels(cal, check, batch, out.resolve("labels-check.i32"));
            writeLabels(test, tests, 50, out.resolve("labels-test.i32"));

            Map<String, Object> spans = new LinkedHashMap<>();
            for (StreamPair p : pairs) {
                Span s = new Span(p.a(), p.b() - 1);
                Map<String, Object> m = new LinkedHashMap<>();
                for (SpanPredictor sp : SpanPredictor.values()) m.put(sp.label(), a.predict(stats, s, sp));
                spans.put(s.text(), m);
            }
            List<List<Span>> sets = SelectionStudy.subsets(blocks, k);
            List<String> names = new ArrayList<>();
            try (DataOutputStream c = stream(out.resolve("check.f32")); DataOutputStream t = stream(out.resolve("test.f32"))) {
                write(c, onCheck.comparison().originalOutputs());
                write(t, onTest.comparison().originalOutputs());
                for (List<Span> set : sets) {
                    Approximation x = a.approximate(set);
                    write(c, onCheck.outputs(x, check.length));
                    write(t, onTest.outputs(x, tests.length));
                    names.add(Span.text(set));
                    System.err.println(modelPath.getFileName() + " " + names.getLast() + " (" + names.size() + "/" + sets.size() + ")");
                }
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("model", modelPath.getFileName().toString());
            meta.put("blocks", blocks);
            meta.put("k", k);
            meta.put("batch_size", batch);
            meta.put("classes", onTest.comparison().perSample());
            meta.put("check_samples", check.length);
            meta.put("test_samples", tests.length);
            meta.put("sets", names);
            meta.put("spans", spans);
            Files.writeString(out.resolve("meta.json"), Json.write(meta));
        }
    }

    private static void writeLabels(CalibrationData data, int[] samples, int batch, Path file) throws IOException {
        try (DataOutputStream s = stream(file)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            for (DataBatch d : data.batches(batch, samples)) {
                if (d.labels() == null) throw new IllegalArgumentException(file + ": the data has no labels");
                for (int l : d.labels()) {
                    s.write(b.clear().putInt(l).array());
                    n++;
                }
            }
            if (n != samples.length) throw new IllegalStateException(file + ": " + n + " labels for " + samples.length + " samples");
        }
    }

    private static DataOutputStream stream(Path file) throws IOException {
        OutputStream o = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(o, 1 << 20));
    }

    private static void write(DataOutputStream s, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        s.write(b.array());
    }
}
