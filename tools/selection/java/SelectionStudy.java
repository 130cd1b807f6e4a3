import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.HeldOutCheck;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.OutputComparison;
import dev.rba.core.approx.QualityMeasure;
import dev.rba.core.approx.RunnerUp;
import dev.rba.core.approx.ProgressListener;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanPredictor;
import dev.rba.core.approx.SpanSelection;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.BatchSizing;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.RuntimeOptions;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The selection study for one model (tools/selection/run_study.sh runs it per zoo member):
 * <ol>
 * <li>one calibration pass (500 fit samples of the calibration data, every span of up to 4 blocks), timed;</li>
 * <li>every span of 1..4 blocks: each predictor's value and the exact damage of replacing it (fitted from those
 *     statistics, scored on the test data with the measure that fits the output);</li>
 * <li>optionally every set of K blocks (contiguous or not), fitted the same way and scored on the test data;</li>
 * <li>rba's own selection (--remove K) with several search budgets, its choice scored on the test data, timed.</li>
 * </ol>
 * Every set scored on the test data also leaves its per-sample losses (sample_losses, by set: see {@link TestScores}),
 * so render_study.py can pair two sets on the same test images (a bootstrap of their difference, split halves).
 * Arguments: MODEL CALIBRATION TEST K EXHAUSTIVE(true|false) TEST_LIMIT OUT.json [SPLIT_CAL SPLIT_TEST]
 * System properties: study.fit / study.check (calibration samples for the fits / for the selection's held-out
 * check, default 500 each), study.runs (selections to run, default "fit-1-r2:4,fit-1-r2:8,fit-1-r2:16,br:8").
 * Raw figures only; render_study.py computes Spearman and regret.
 */
public class SelectionStudy {
    static final int FIT = 500;
    static final int CHECK = 500;
    static final int MAX_SPAN = 4;
    /** Held-out calibration samples the carried-residual predictor runs each span on (a few batches). */
    static final int CARRIED = 64;

    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args[0]);
        Path calPath = Path.of(args[1]);
        Path testPath = Path.of(args[2]);
        int k = Integer.parseInt(args[3]);
        boolean exhaustive = Boolean.parseBoolean(args[4]);
        int testLimit = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        String calSplit = args.length > 7 && !args[7].equals("-") ? args[7] : null;
        String testSplit = args.length > 8 && !args[8].equals("-") ? args[8] : null;
        Map<String, Object> r = new LinkedHashMap<>();
        try (LoadedModel model = LoadedModel.open(modelPath, null);
             Backend backend = Backends.open("auto").backend()) {
            CalibrationData cal = DataSources.open(calPath, model.inputSpecs(), new DataOptions(calSplit, false, null, model.metadata()));
            CalibrationData test = DataSources.open(testPath, model.inputSpecs(), new DataOptions(testSplit, false, null, model.metadata()));
            int blocks = model.blockCount();
            r.put("model", modelPath.getFileName().toString());
            r.put("blocks", blocks);
            r.put("d", model.d());
            r.put("k", k);
            int fit = Math.min(Integer.getInteger("study.fit", FIT), cal.size() / 2);
            int check = Math.min(Integer.getInteger("study.check", CHECK), cal.size() - fit);
            // the statistics are saved once and read by the extra approximators (sequential fits, the budget sweep)
            Path statsFile = Path.of(out + ".stats");
            Files.deleteIfExists(statsFile);
            // the batch `rba approximate --remove K` runs without --batch-size (it captures every h_k: DataMixin.batchSize):
            // the first batch's column shift and the fp32 products of the statistics depend on it, and an ill-conditioned
            // Gram carries that rounding into T, enough to flip a near-tie between candidates (z_d48_b6_post, at 50)
            int batch = BatchSizing.forCapture(model.blockCount() + 1, model);
            r.put("batch_size", batch);
            ApproximationOptions o = ApproximationOptions.defaults().withSamples(fit, check).withBatchSize(batch).withRuntime(1, false)
                    .withStatsFile(statsFile);
            long traceStart = System.nanoTime();
            // -Dstudy.trace=true: when each stage of work starts and ends (where a selection's time goes)
            ProgressListener trace = !Boolean.getBoolean("study.trace") ? ProgressListener.NONE : (stage, done, total) -> {
                if (done == 0 || done == total) {
                    System.err.printf("trace %.2f %s %d/%d%n", (System.nanoTime() - traceStart) / 1e9, stage, done, total);
                }
            };
            Approximator a = new Approximator(model, cal, backend, o, trace);
            List<StreamPair> pairs = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                for (int j = i; j < blocks && j - i < Math.max(MAX_SPAN, k); j++) pairs.add(new StreamPair(i, j + 1));
            }
            long t0 = System.nanoTime();
            StreamStatistics stats = a.statistics(pairs);
            double calSeconds = (System.nanoTime() - t0) / 1e9;
            r.put("calibration_seconds", calSeconds);
            r.put("fit_samples", fit);
            r.put("check_samples", check);
            // the original's check run, timed apart: each selection below reuses it, a user's run pays it once
            long t2 = System.nanoTime();
            HeldOutScore originalCheck = a.checkOriginal();
            r.put("original_check_seconds", (System.nanoTime() - t2) / 1e9);
            int carriedSamples = Math.min(Integer.getInteger("study.carried", CARRIED), check);

            int[] all = new int[Math.min(testLimit, test.size())];
            for (int i = 0; i < all.length; i++) all[i] = i;
            HeldOutCheck scorer = new HeldOutCheck(test, all, 50, RuntimeOptions.defaults().withThreads(1), model.path().getParent(),
                    ProgressListener.NONE, null, (int) model.d(), model.maskInput());
            TestScores onTest = new TestScores(scorer, all.length);
            boolean selectionsOnly = Boolean.getBoolean("study.selectionsOnly");
            if (!selectionsOnly || Boolean.getBoolean("study.scoreChosen")) {
                HeldOutScore original = scorer.original(model);
                r.put("quality", original.measure().label());
                r.put("test_samples", all.length);
                r.put("original_accuracy", original.accuracy());
            }

            List<Object> spans = new ArrayList<>();
            Map<String, Double> damage = new LinkedHashMap<>();
            if (selectionsOnly) {
                // the spans and sets were scored by an earlier run on the same data: render_study.py looks the
                // chosen sets' test damage up there
                r.put("selections_only", true);
            } else {
            // the summary token's statistics (one row per sample, cheap Grams) for the summary-token predictor: a
            // second pass here; rba's own pass could keep them at almost no cost
            long ts = System.nanoTime();
            TokenSelection summaryToken = a.summaryToken().token();
            StreamStatistics summaryStats = CalibrationPass.run(model, cal, a.split().fit(), backend,
                    new CalibrationOptions(batch, 1, false, summaryToken, summaryToken, 0, false), null, null)
                    .similarityStatistics();
            r.put("summary_pass_seconds", (System.nanoTime() - ts) / 1e9);
            r.put("carried_samples", carriedSamples);
            for (int len = 1; len <= MAX_SPAN && len < blocks; len++) {
                for (int i = 0; i + len <= blocks; i++) {
                    Span s = new Span(i, i + len - 1);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("span", s.text());
                    m.put("blocks", len);
                    Map<String, Object> p = new LinkedHashMap<>();
                    for (SpanPredictor sp : SpanPredictor.values()) p.put(sp.label(), a.predict(stats, s, sp));
                    p.put("summary-fit-1-r2", summaryUnexplained(stats, summaryStats, s.inputBoundary(), s.outputBoundary(),
                            a.options(), backend));
                    Approximation one = a.approximate(List.of(s));
                    // the residual carried through the next blocks: the replaced model on a few held-out calibration
                    // batches, compared with the original in the measure the stages use
                    long tc = System.nanoTime();
                    HeldOutScore carried = a.check(one, carriedSamples);
                    m.put("carried_seconds", (System.nanoTime() - tc) / 1e9);
                    p.put("carried", carried.measure() == QualityMeasure.CLASS_SCORES ? carried.klDivergence() : carried.drop());
                    m.put("predictors", p);
                    long t1 = System.nanoTime();
                    HeldOutScore sc = onTest.score(one);
                    m.put("seconds", (System.nanoTime() - t1) / 1e9);
                    put(m, sc);
                    damage.put(s.text(), sc.drop());
                    spans.add(m);
                    System.err.println(modelPath.getFileName() + " span " + s.text() + " drop " + sc.drop());
                }
            }
            r.put("spans", spans);

            if (exhaustive) {
                List<Object> sets = new ArrayList<>();
                for (List<Span> set : subsets(blocks, k)) {
                    String key = Span.text(set);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("set", key);
                    HeldOutScore sc = set.size() == 1 && damage.containsKey(key) ? null
                            : onTest.score(a.approximate(set));
                    if (sc != null) {
                        put(m, sc);
                        damage.put(key, sc.drop());
                    } else {
                        m.put("drop", damage.get(key));
                    }
                    sets.add(m);
                }
                r.put("exhaustive", sets);
                System.err.println(modelPath.getFileName() + ": " + sets.size() + " sets of " + k + " blocks scored");
            }
            }

            List<Object> selections = new ArrayList<>();
            for (String spec : System.getProperty("study.runs", "fit-1-r2:4:kl,fit-1-r2:8:kl,fit-1-r2:16:kl,fit-1-r2:8:drop,br:8:kl").split(",")) {
                String[] run = spec.split(":");
                // "kl": KL alone (the default before the fifth round, --label-weight 0); "kl+labels": blended with the
                // true label's log-loss change at the default weight (docs/selection.md); "drop": the drop
                String by = run.length < 3 ? "kl" : run[2];
                SearchOptions so = new SearchOptions(Integer.parseInt(run[1]), 3, predictor(run[0]), 0, !by.equals("drop"),
                        by.equals("kl+labels") ? SearchOptions.DEFAULT_LABEL_WEIGHT : 0);
                // a fresh approximator per selection: no fit cached by the spans above or an earlier selection (a
                // user's run fits every span it ranks); the statistics come from the file, the original's check is
                // timed apart as above
                Approximator fresh = new Approximator(model, cal, backend, o, trace);
                fresh.statistics(pairs);
                long tf = System.nanoTime();
                fresh.checkOriginal();
                double freshOriginal = (System.nanoTime() - tf) / 1e9;
                SelectionResult sel = SpanSelection.select(fresh, SelectionGoal.remove(k), so);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("original_check_seconds", freshOriginal);
                m.put("rank_by", run[0]);
                m.put("candidates", so.candidates());
                m.put("decided_by", by);
                m.put("seconds", sel.seconds());
                String key = Span.text(sel.chosen().spans());
                m.put("chosen", key);
                m.put("held_out_drop", sel.chosen().drop());
                if (sel.runnerUp() != null) m.put("runner_up", runnerUp(sel.runnerUp()));
                Double d = damage.get(key);
                if (d == null && (!selectionsOnly || Boolean.getBoolean("study.scoreChosen"))) {
                    d = onTest.score(sel.approximation()).drop();
                    damage.put(key, d);
                }
                m.put("test_drop", d);
                List<Object> stages = new ArrayList<>();
                for (SelectionResult.Stage st : sel.stages()) stages.add(List.of(st.candidates(), st.samples()));
                m.put("stages", stages);
                selections.add(m);
                System.err.println(modelPath.getFileName() + " selection " + run[0] + "/" + run[1] + " -> " + key + " test drop " + d
                        + " in " + sel.seconds() + " s (calibration " + calSeconds + " s)");
            }
            r.put("selections", selections);
            if (Boolean.parseBoolean(System.getProperty("study.sequential", "true")) && !selectionsOnly) {
                r.put("sequential", sequential(model, cal, backend, o, scorer, all.length, damage, selections, k));
            }
            String sweep = System.getProperty("study.sweep", "64,125,250");
            if (!sweep.isEmpty()) {
                List<Object> rows = new ArrayList<>();
                for (String c : sweep.split(",")) {
                    int n = Math.min(Integer.parseInt(c), check);
                    Approximator b = new Approximator(model, cal, backend, o.withSamples(fit, n), ProgressListener.NONE);
                    b.statistics(pairs);
                    long tb = System.nanoTime();
                    b.checkOriginal();
                    double origSeconds = (System.nanoTime() - tb) / 1e9;
                    SelectionResult sel = SpanSelection.select(b, SelectionGoal.remove(k),
                            new SearchOptions(8, 3, SpanPredictor.DEFAULT, 0, true, 0));
                    String key = Span.text(sel.chosen().spans());
                    Double d = damage.get(key);
                    if (d == null && !selectionsOnly) {
                        d = onTest.score(sel.approximation()).drop();
                        damage.put(key, d);
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("check_samples", n);
                    m.put("chosen", key);
                    m.put("test_drop", d);
                    m.put("seconds", sel.seconds());
                    m.put("original_check_seconds", origSeconds);
                    rows.add(m);
                    System.err.println(modelPath.getFileName() + " sweep " + n + " -> " + key + " test drop " + d);
                }
                r.put("sweep", rows);
            }
            onTest.putInto(r);
            if (selectionsOnly) {
                Files.deleteIfExists(statsFile);
                Files.writeString(out, Json.write(r));
                return;
            }
            // the top-ranked K-set of every predictor (what a selection checking 1 candidate would keep)
            Map<String, Object> top = new LinkedHashMap<>();
            for (SpanPredictor sp : SpanPredictor.values()) {
                SearchOptions so = new SearchOptions(1, 3, sp, 0);
                SelectionResult sel = SpanSelection.select(a, SelectionGoal.remove(k), so);
                String key = Span.text(sel.chosen().spans());
                Double d = damage.get(key);
                if (d == null) {
                    d = onTest.score(sel.approximation()).drop();
                    damage.put(key, d);
                }
                top.put(sp.label(), Map.of("set", key, "test_drop", d));
            }
            r.put("top_ranked", top);
            onTest.putInto(r);
            Files.deleteIfExists(statsFile);
        }
        Files.writeString(out, Json.write(r));
    }

    /**
     * The share of the summary token that span a..b's replacement (fitted on all tokens) cannot reproduce:
     * ||X_s T + 1 b - Y_s||^2 over the centred energy of Y_s, from the summary token's Grams (exact, no rerun).
     */
    static double summaryUnexplained(StreamStatistics all, StreamStatistics summary, int ia, int ib,
                                     ApproximationOptions o, Backend backend) {
        FitResult f = LinearFits.fit(all, ia, ib, o.method(), o.ridge(), backend);
        int d = f.inWidth();
        int e = f.outWidth();
        double[] t = f.t();
        double[] cxx = summary.centredGram(ia);
        double[] cxy = summary.centredCrossGram(ia, ib);
        double cyy = summary.centredSumOfSquares(ib);
        double quad = 0;
        double cross = 0;
        for (int i = 0; i < d; i++) {
            for (int kk = 0; kk < e; kk++) {
                double ct = 0;
                for (int j = 0; j < d; j++) ct += cxx[i * d + j] * t[j * e + kk];
                quad += t[i * e + kk] * ct;
                cross += t[i * e + kk] * cxy[i * e + kk];
            }
        }
        double[] mx = summary.columnMeans(ia);
        double[] my = summary.columnMeans(ib);
        double meanResidual = 0;
        for (int kk = 0; kk < e; kk++) {
            double v = (f.bias() == null ? 0 : f.bias()[kk]) - my[kk];
            for (int i = 0; i < d; i++) v += mx[i] * t[i * e + kk];
            meanResidual += v * v;
        }
        return (quad - 2 * cross + cyy + summary.rows() * meanResidual) / Math.max(Double.MIN_NORMAL, cyy);
    }

    /**
     * --sequential against the default: the sets of several spans that the default selection chose and that were
     * best on the test data, refitted with every later span fitted on the already-approximated model.
     */
    static List<Object> sequential(LoadedModel model, CalibrationData cal, Backend backend, ApproximationOptions o,
                                   HeldOutCheck scorer, int n, Map<String, Double> damage, List<Object> selections,
                                   int k) throws Exception {
        List<String> sets = new ArrayList<>();
        for (Object x : selections) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) x;
            String key = (String) m.get("chosen");
            if (!sets.contains(key)) sets.add(key);
        }
        String best = null;
        for (Map.Entry<String, Double> e : damage.entrySet()) {
            if (blocksOf(e.getKey()) != k) continue;
            if (best == null || e.getValue() < damage.get(best)) best = e.getKey();
        }
        if (best != null && !sets.contains(best)) sets.add(best);
        Approximator seq = new Approximator(model, cal, backend, o.withSequential(true), ProgressListener.NONE);
        List<Object> rows = new ArrayList<>();
        for (String key : sets) {
            List<Span> spans = spansOf(key);
            if (spans.size() < 2) continue;
            long t0 = System.nanoTime();
            Approximation ap = seq.approximate(spans);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            double d = scorer.score(ap, n).drop();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("set", key);
            m.put("drop", damage.get(key));
            m.put("sequential_drop", d);
            m.put("sequential_fit_seconds", fitSeconds);
            rows.add(m);
            System.err.println(model.path().getFileName() + " sequential " + key + ": " + damage.get(key) + " -> " + d);
        }
        return rows;
    }

    /** A set as Span.text writes it (e.g. 2-2+5-7). */
    static List<Span> spansOf(String set) {
        List<Span> out = new ArrayList<>();
        for (String part : set.split("\\+")) out.add(Span.parse(part));
        return out;
    }

    static int blocksOf(String set) {
        int b = 0;
        for (Span s : spansOf(set)) b += s.blocks();
        return b;
    }

    /** The chosen set's runner-up as the CLI's --json reports it (selection.runner_up). */
    static Map<String, Object> runnerUp(RunnerUp u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spans", Span.text(u.spans()));
        m.put("samples", u.samples());
        m.put("decided_by", u.figure());
        m.put("chosen", u.chosen());
        m.put("runner_up", u.runnerUp());
        m.put("difference_interval", List.of(u.difference().low(), u.difference().high()));
        m.put("tied_within_noise", u.tiedWithinNoise());
        return m;
    }

    static void put(Map<String, Object> m, HeldOutScore s) {
        m.put("drop", s.drop());
        m.put("drop_low", s.dropInterval().low());
        m.put("drop_high", s.dropInterval().high());
        m.put("accuracy", s.accuracy());
        m.put("agreement", s.agreement());
        m.put("cosine", s.cosine());
        m.put("kl", s.klDivergence());
    }

    /**
     * Scores sets on the first n test samples and keeps each set's per-sample losses (the values its drop is 100 x
     * the mean of: OutputComparison.sampleLosses), deflated and base64-encoded, by set. Class scores: one signed byte
     * per sample, the original's top-1 right (1) or not (0) minus the set's (-1, 0, 1; without labels 1 where the top-1
     * differs from the original's), almost all zeros, so a set of 10,000 samples takes about a kilobyte; other outputs:
     * 1 - cosine as little-endian float32.
     */
    static final class TestScores {
        private final HeldOutCheck scorer;
        private final int n;
        private final Map<String, String> losses = new LinkedHashMap<>();

        TestScores(HeldOutCheck scorer, int n) {
            this.scorer = scorer;
            this.n = n;
        }

        HeldOutScore score(Approximation a) {
            float[] y = scorer.outputs(a, n);
            OutputComparison c = scorer.comparison();
            double[] loss = c.sampleLosses(y, n);
            if (loss != null) losses.put(Span.text(a.spans()), encode(loss, c.measure() == QualityMeasure.CLASS_SCORES));
            return c.compare(y, n);
        }

        void putInto(Map<String, Object> r) {
            if (losses.isEmpty()) return;
            r.put("sample_losses_encoding", scorer.measure() == QualityMeasure.CLASS_SCORES
                    ? "int8, deflate, base64" : "float32 little-endian, deflate, base64");
            r.put("sample_losses", losses);
        }

        private static String encode(double[] loss, boolean integral) {
            ByteBuffer b = ByteBuffer.allocate(loss.length * (integral ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : loss) {
                if (integral) b.put((byte) Math.round(v));
                else b.putFloat((float) v);
            }
            Deflater z = new Deflater(Deflater.BEST_COMPRESSION);
            z.setInput(b.array());
            z.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!z.finished()) out.write(chunk, 0, z.deflate(chunk));
            z.end();
            return Base64.getEncoder().encodeToString(out.toByteArray());
        }
    }

    /** Every set of k of the blocks, as maximal runs (spans) in model order. */
    static List<List<Span>> subsets(int blocks, int k) {
        List<List<Span>> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << blocks); mask++) {
            if (Integer.bitCount(mask) != k) continue;
            List<Span> set = new ArrayList<>();
            int i = 0;
            while (i < blocks) {
                if ((mask & (1 << i)) == 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j + 1 < blocks && (mask & (1 << (j + 1))) != 0) j++;
                set.add(new Span(i, j));
                i = j + 1;
            }
            out.add(set);
        }
        return out;
    }

    /** The predictor a study.runs entry names by its label (as rba approximate --rank-by takes it). */
    private static SpanPredictor predictor(String label) {
        for (SpanPredictor p : SpanPredictor.values()) if (p.label().equals(label)) return p;
        throw new IllegalArgumentException("study.runs: no predictor labelled '" + label + "'");
    }
}
