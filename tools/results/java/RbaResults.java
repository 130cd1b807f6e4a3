import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.Candidate;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanPredictor;
import dev.rba.core.approx.SpanSelection;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.SampleSplit;
import dev.rba.core.eval.EvaluationOptions;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.Evaluator;
import dev.rba.core.eval.ModelEvaluation;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.CalibrationTimings;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.Metrics;
import dev.rba.core.stats.StreamStatistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements behind docs/results.md for one model, in one JVM through rba's core API (one `rba approximate`
 * plus one `rba evaluate` per variant would pay JVM start, model parsing and the original model's test pass again
 * for each of the ~100 variants).
 *
 * <p>Calibration: the committed 1,000 train images, split (seed 0) into 500 fit and 500 held-out check samples, as
 * `rba approximate` does by default. Evaluation: the committed 2,000 test images. Calibration-size sweep: a seeded
 * choice of N of the 3,000-image calibration set.
 *
 * <p>Usage: java -cp cli/target/rba-cli.jar tools/results/java/RbaResults.java MODEL TRAIN_IDX_DIR TEST_IDX_DIR
 * CALIB3000_DIR WORK_DIR OUT.json
 */
public final class RbaResults {
    static final int FIT = 500;
    static final int CHECK = 500;
    /** Longest span studied; -Dresults.maxSpan=2 makes a quick smoke run. */
    static final int MAX_SPAN = Integer.getInteger("results.maxSpan", 4);
    static final int[] CALIBRATION_SIZES = java.util.Arrays.stream(
            System.getProperty("results.sizes", "50,100,250,500,1000,3000").split(",")).mapToInt(Integer::parseInt).toArray();

    private final LoadedModel model;
    private final Backend backend;
    private final CalibrationData train;
    private final Path work;
    private final Path stats;
    private final TestScorer scorer;
    private final Path original;
    private final Map<FitMethod, Approximator> approximators = new EnumMap<>(FitMethod.class);
    private int saved;

    private RbaResults(LoadedModel model, Backend backend, CalibrationData train, TestScorer scorer, Path work) {
        this.model = model;
        this.backend = backend;
        this.train = train;
        this.scorer = scorer;
        this.work = work;
        this.stats = work.resolve("stats-fit500.bin");
        this.original = model.path();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: RbaResults MODEL TRAIN_DIR TEST_DIR CALIB3000_DIR WORK_DIR OUT.json");
            System.exit(2);
        }
        Path modelPath = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[4]));
        BackendSelection sel = Backends.open(null);
        try (LoadedModel model = LoadedModel.open(modelPath, List.of()); Backend backend = sel.backend()) {
            CalibrationData train = open(model, Path.of(args[1]), "train");
            CalibrationData test = open(model, Path.of(args[2]), "test");
            CalibrationData calib3000 = open(model, Path.of(args[3]), "train");
            long t0 = System.nanoTime();
            TestScorer scorer = new TestScorer(modelPath, test);
            RbaResults r = new RbaResults(model, backend, train, scorer, work);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", modelPath.getFileName().toString());
            out.put("backend", backend.name());
            out.put("blocks", model.blockCount());
            out.put("fit_samples", FIT);
            out.put("check_samples", CHECK);
            out.put("test_samples", scorer.size());
            out.put("original_test_accuracy", scorer.original.accuracy());
            out.put("pipeline", r.pipelineTiming());
            out.put("spans", r.spanSweep());
            out.put("calibration_sizes", r.calibrationSweep(calib3000, bestSpans(r.brTable(), 2, 4)));
            out.put("selection", r.selectionStudy(test));
            out.put("wall_s", (System.nanoTime() - t0) / 1e9);
            Files.writeString(Path.of(args[5]), Json.write(out) + "\n");
        }
    }

    static CalibrationData open(LoadedModel model, Path dir, String split) throws IOException {
        return DataSources.open(dir, model.inputSpecs(), new DataOptions(split, false, null, model.metadata()));
    }

    /**
     * One calibration pass over the 500 fit samples (statistics of every span up to 4 blocks, saved for every later
     * fit), then fit, rewrite and save of one span, each timed: what rba spends beside ONNX Runtime.
     */
    private Map<String, Object> pipelineTiming() throws IOException {
        SampleSplit split = SampleSplit.seeded(train.size(), FIT, CHECK, 0);
        long t0 = System.nanoTime();
        CalibrationResult cal = CalibrationPass.run(model, train, split.fit(), backend,
                CalibrationOptions.defaults().withMaxSpan(MAX_SPAN), null, null);
        long t1 = System.nanoTime();
        cal.fitStatistics().save(stats);
        fitStats = cal.fitStatistics();
        Span span = bestSpans(brTable(), 2, 2).getFirst();
        long t2 = System.nanoTime();
        FitResult fit = LinearFits.fit(fitStats, span.inputBoundary(), span.outputBoundary(), FitMethod.LINEAR, backend);
        long t3 = System.nanoTime();
        Approximator a = approximator(FitMethod.LINEAR);
        Approximation approx = a.approximate(List.of(span));
        long t4 = System.nanoTime();
        a.save(approx, work.resolve("pipeline.onnx"), null, null);
        long t5 = System.nanoTime();
        CalibrationTimings t = cal.timings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("span", span.text());
        m.put("samples", FIT);
        m.put("calibration_pass_s", (t1 - t0) / 1e9);
        m.put("data_s", t.dataSeconds());
        m.put("onnxruntime_s", t.forwardSeconds());
        m.put("statistics_s", t.statisticsSeconds());
        m.put("median_onnxruntime_batch_s", t.medianForwardBatchSeconds());
        m.put("median_statistics_batch_s", t.medianStatisticsBatchSeconds());
        m.put("fit_s", (t3 - t2) / 1e9);
        m.put("fit_and_rewrite_s", (t4 - t3) / 1e9);
        m.put("save_s", (t5 - t4) / 1e9);
        m.put("total_s", (t5 - t0) / 1e9 - (t2 - t1) / 1e9);
        m.put("fit_condition_number", fit.conditionNumber());
        return m;
    }

    private StreamStatistics fitStats;

    /** Block Redundancy of every span of up to 4 blocks, from the fit samples' statistics (summary token). */
    private List<Map.Entry<Span, Double>> brTable() {
        List<Map.Entry<Span, Double>> rows = new ArrayList<>();
        for (int len = 1; len <= MAX_SPAN; len++) {
            for (int i = 0; i + len <= model.blockCount(); i++) {
                Span s = new Span(i, i + len - 1);
                rows.add(Map.entry(s, Metrics.blockRedundancy(fitStats, s.inputBoundary(), s.outputBoundary())));
            }
        }
        return rows;
    }

    /** The span of each length from..to with the highest Block Redundancy: what BR alone would pick. */
    static List<Span> bestSpans(List<Map.Entry<Span, Double>> br, int from, int to) {
        List<Span> out = new ArrayList<>();
        for (int len = from; len <= to; len++) {
            int l = len;
            br.stream().filter(e -> e.getKey().blocks() == l).max(Comparator.comparingDouble(Map.Entry::getValue))
                    .ifPresent(e -> out.add(e.getKey()));
        }
        return out;
    }

    private Approximator approximator(FitMethod m) {
        return approximators.computeIfAbsent(m, k -> new Approximator(model, train, backend,
                ApproximationOptions.defaults().withMethod(k).withSamples(FIT, CHECK).withStatsFile(stats), null));
    }

    /** Saves an approximation to a scratch file and scores it on the test set. */
    private Map<String, Object> scored(Approximator a, Approximation approx) throws IOException {
        Path file = work.resolve("variant-" + (saved++ % 2) + ".onnx");
        a.save(approx, file, null, null);
        TestScorer.Score s = scorer.score(file);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", s.accuracy());
        m.put("agreement", s.agreement());
        m.put("relative_residual", approx.fits().getFirst().fit().relativeResidual());
        m.put("parameters_after", approx.parametersAfter());
        return m;
    }

    /**
     * Every span up to 4 blocks with the paper's linear map; single blocks and, per length 2-4, the best span by BR
     * and the best by test accuracy also with affine, orthogonal and identity.
     */
    private List<Map<String, Object>> spanSweep() throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Span, Double> e : brTable()) {
            Span s = e.getKey();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("span", s.text());
            row.put("blocks", s.blocks());
            row.put("br", e.getValue());
            Map<String, Object> byMethod = new LinkedHashMap<>();
            byMethod.put("linear", scored(approximator(FitMethod.LINEAR), approximator(FitMethod.LINEAR).approximate(List.of(s))));
            row.put("translators", byMethod);
            rows.add(row);
            System.err.printf("span %s br %.3f linear acc %.4f%n", s.text(), e.getValue(),
                    ((Map<?, ?>) byMethod.get("linear")).get("accuracy"));
        }
        for (Map<String, Object> row : rows) {
            Span s = Span.parse((String) row.get("span"));
            boolean chosen = s.blocks() == 1 || isBest(rows, row, "br") || isBest(rows, row, "accuracy");
            if (!chosen) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> byMethod = (Map<String, Object>) row.get("translators");
            for (FitMethod m : List.of(FitMethod.AFFINE, FitMethod.ORTHOGONAL, FitMethod.IDENTITY)) {
                byMethod.put(m.label(), scored(approximator(m), approximator(m).approximate(List.of(s))));
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static double linearAccuracy(Map<String, Object> row) {
        return (double) ((Map<String, Object>) ((Map<String, Object>) row.get("translators")).get("linear")).get("accuracy");
    }

    private static boolean isBest(List<Map<String, Object>> rows, Map<String, Object> row, String by) {
        Comparator<Map<String, Object>> key = by.equals("br") ? Comparator.comparingDouble(r -> (double) r.get("br"))
                : Comparator.comparingDouble(RbaResults::linearAccuracy);
        return rows.stream().filter(r -> r.get("blocks").equals(row.get("blocks"))).max(key).orElseThrow() == row;
    }

    /** Test accuracy vs number of calibration samples (a seeded N of the 3,000-image set; no held-out check). */
    private List<Map<String, Object>> calibrationSweep(CalibrationData calib, List<Span> spans) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : CALIBRATION_SIZES) {
            if (n > calib.size()) continue;
            Path file = work.resolve("stats-cal" + n + ".bin");
            Files.deleteIfExists(file);
            for (FitMethod m : List.of(FitMethod.LINEAR, FitMethod.AFFINE)) {
                Approximator a = new Approximator(model, calib, backend,
                        ApproximationOptions.defaults().withMethod(m).withSamples(n, 0).withStatsFile(file), null);
                for (Span s : spans) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("samples", n);
                    row.put("span", s.text());
                    row.put("translator", m.label());
                    row.putAll(scored(a, a.approximate(List.of(s))));
                    rows.add(row);
                    System.err.printf("calibration %d %s %s acc %.4f%n", n, s.text(), m.label(), row.get("accuracy"));
                }
            }
        }
        return rows;
    }

    /**
     * rba's checked selection (`--remove K`: BR ranks candidates, the best 5 per size are scored on the 500 held-out
     * calibration samples) against BR alone (the single span of K blocks with the highest BR), both on the test set;
     * with sizes, MACs and ONNX Runtime latency of the selected model against the original.
     */
    private List<Map<String, Object>> selectionStudy(CalibrationData test) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Approximator a = approximator(FitMethod.LINEAR);
        for (int k = 2; k <= MAX_SPAN; k++) {
            SelectionResult r = SpanSelection.select(a, SelectionGoal.remove(k), new SearchOptions(5, 2, SpanPredictor.BR, 0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("remove", k);
            if (!r.found()) {
                row.put("found", false);
                rows.add(row);
                continue;
            }
            Candidate c = r.chosen();
            row.put("chosen", Span.text(c.spans()));
            row.put("chosen_br_rank", c.rank()); // ranked by BR (SpanPredictor.BR above)
            row.put("held_out_accuracy", c.score().accuracy());
            row.put("held_out_original_accuracy", r.original().accuracy());
            row.put("candidates_checked", r.candidates().stream().filter(Candidate::checked).count());
            Path file = work.resolve("selected-remove" + k + ".onnx");
            a.save(r.approximation(), file, null, null);
            TestScorer.Score s = scorer.score(file);
            row.put("test_accuracy", s.accuracy());
            row.put("test_agreement", s.agreement());
            Span brOnly = bestSpans(brTable(), k, k).getFirst();
            row.put("br_only", brOnly.text());
            row.put("br_only_test_accuracy", scored(a, a.approximate(List.of(brOnly))).get("accuracy"));
            EvaluationReport ev = Evaluator.evaluate(file, original, test,
                    EvaluationOptions.defaults().withLatency(5, 30).withLimit(256));
            row.put("after", sizes(ev.model()));
            row.put("before", sizes(ev.baseline()));
            rows.add(row);
            System.err.printf("remove %d: %s test acc %.4f (BR only %s)%n", k, row.get("chosen"), s.accuracy(), brOnly.text());
        }
        return rows;
    }

    private static Map<String, Object> sizes(ModelEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameters", e.size().parameters());
        m.put("macs_per_sample", e.size().macsPerSample());
        m.put("file_bytes", e.size().fileBytes());
        m.put("latency_batch", e.latency().batchSize());
        m.put("latency_median_ms", e.latency().medianMs());
        m.put("latency_p90_ms", e.latency().p90Ms());
        return m;
    }
}
