import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.HeldOutCheck;
import dev.rba.core.approx.HeldOutScore;
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
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.onnx.api.RuntimeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selection study for one model (tools/selection/run_study.sh runs it per zoo member):
 * <ol>
 * <li>one calibration pass (500 fit samples of the calibration data, every span of up to 4 blocks), timed;</li>
 * <li>every span of 1..4 blocks: each predictor's value and the exact damage of replacing it (fitted from those
 *     statistics, scored on the test data with the measure that fits the output);</li>
 * <li>optionally every set of K blocks (contiguous or not), fitted the same way and scored on the test data;</li>
 * <li>rba's own selection (--remove K) with several search budgets, its choice scored on the test data, timed.</li>
 * </ol>
 * Arguments: MODEL CALIBRATION TEST K EXHAUSTIVE(true|false) TEST_LIMIT OUT.json [SPLIT_CAL SPLIT_TEST]
 * System properties: study.fit / study.check (calibration samples for the fits / for the selection's held-out
 * check, default 500 each), study.runs (selections to run, default "fit-1-r2:4,fit-1-r2:8,fit-1-r2:16,br:8").
 * Raw figures only; render_study.py computes Spearman and regret.
 */
public class SelectionStudy {
    static final int FIT = 500;
    static final int CHECK = 500;
    static final int MAX_SPAN = 4;

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
            r.put("d", model.blocks().d());
            r.put("k", k);
            int fit = Math.min(Integer.getInteger("study.fit", FIT), cal.size() / 2);
            int check = Math.min(Integer.getInteger("study.check", CHECK), cal.size() - fit);
            ApproximationOptions o = ApproximationOptions.defaults().withSamples(fit, check).withBatchSize(50).withRuntime(1, false);
            Approximator a = new Approximator(model, cal, backend, o, ProgressListener.NONE);
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

            int[] all = new int[Math.min(testLimit, test.size())];
            for (int i = 0; i < all.length; i++) all[i] = i;
            HeldOutCheck scorer = new HeldOutCheck(test, all, 50, RuntimeOptions.defaults().withThreads(1), model.file().folder(),
                    ProgressListener.NONE, null, (int) model.blocks().d(), model.mask().input());
            boolean selectionsOnly = Boolean.getBoolean("study.selectionsOnly");
            if (!selectionsOnly) {
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
            for (int len = 1; len <= MAX_SPAN && len < blocks; len++) {
                for (int i = 0; i + len <= blocks; i++) {
                    Span s = new Span(i, i + len - 1);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("span", s.text());
                    m.put("blocks", len);
                    Map<String, Object> p = new LinkedHashMap<>();
                    for (SpanPredictor sp : SpanPredictor.values()) p.put(sp.label(), a.predict(stats, s, sp));
                    m.put("predictors", p);
                    long t1 = System.nanoTime();
                    HeldOutScore sc = scorer.score(a.approximate(List.of(s)), all.length);
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
                            : scorer.score(a.approximate(set), all.length);
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

            // the original's check run, timed apart: each selection below reuses it, a user's run pays it once
            long t2 = System.nanoTime();
            a.checkOriginal();
            r.put("original_check_seconds", (System.nanoTime() - t2) / 1e9);
            List<Object> selections = new ArrayList<>();
            for (String spec : System.getProperty("study.runs", "fit-1-r2:4:kl,fit-1-r2:8:kl,fit-1-r2:16:kl,fit-1-r2:8:drop,br:8:kl").split(",")) {
                String[] run = spec.split(":");
                SearchOptions so = new SearchOptions(Integer.parseInt(run[1]), 3, SpanPredictor.parse(run[0]), 0,
                        run.length < 3 || run[2].equals("kl"));
                SelectionResult sel = SpanSelection.select(a, SelectionGoal.remove(k), so);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank_by", run[0]);
                m.put("candidates", so.candidates());
                m.put("decided_by", so.byDivergence() ? "kl" : "drop");
                m.put("seconds", sel.seconds());
                String key = Span.text(sel.chosen().spans());
                m.put("chosen", key);
                m.put("held_out_drop", sel.chosen().drop());
                Double d = damage.get(key);
                if (d == null && !selectionsOnly) {
                    d = scorer.score(sel.approximation(), all.length).drop();
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
            if (selectionsOnly) {
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
                    d = scorer.score(sel.approximation(), all.length).drop();
                    damage.put(key, d);
                }
                top.put(sp.label(), Map.of("set", key, "test_drop", d));
            }
            r.put("top_ranked", top);
        }
        Files.writeString(out, Json.write(r));
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
}
