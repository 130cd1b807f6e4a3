import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.Candidate;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.ProgressListener;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanSelection;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.StreamPair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One `--remove K` selection traced: every candidate's predictor value and, for the candidates that entered the staged
 * check, their held-out KL divergence and drop on the first 1/8, 1/4, 1/2 and all of the check samples (what each
 * stage compared). Run it twice with different settings to see where two selections part (docs/selection.md,
 * 'Why the study and the command chose differently').
 * Arguments: MODEL CALIBRATION SPLIT(-|name) K BATCH STATS(file|none) OUT.json [MAX_SPAN_OF_PASS [SETS]]
 * SETS (e.g. 3-4+6-6,4-6): further sets of K blocks to score the same way on the check samples, whether or not the
 * staged check reached them (where the best set on test data stood in the held-out check).
 * BATCH is the samples per ONNX Runtime run of the calibration pass and of the check; STATS=file writes the statistics
 * to a file first, as the study does (a pass over every span up to MAX_SPAN_OF_PASS blocks, default K), none computes
 * only the pairs the selection needs, as `rba approximate --remove K` does.
 */
public class SelectionTrace {
    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args[0]);
        Path calPath = Path.of(args[1]);
        String split = args[2].equals("-") ? null : args[2];
        int k = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        boolean statsFile = args[5].equals("file");
        Path out = Path.of(args[6]);
        int passSpan = args.length > 7 ? Integer.parseInt(args[7]) : k;
        List<String> extra = args.length > 8 ? List.of(args[8].split(",")) : List.of();
        Map<String, Object> r = new LinkedHashMap<>();
        Path stats = Path.of(out + ".stats");
        Files.deleteIfExists(stats);
        try (LoadedModel model = LoadedModel.open(modelPath, null);
             Backend backend = Backends.open("auto").backend()) {
            CalibrationData cal = DataSources.open(calPath, model.inputSpecs(), new DataOptions(split, false, null, model.metadata()));
            ApproximationOptions o = ApproximationOptions.defaults().withBatchSize(batch).withRuntime(1, false);
            if (statsFile) o = o.withStatsFile(stats);
            Approximator a = new Approximator(model, cal, backend, o, ProgressListener.NONE);
            if (statsFile) {
                List<StreamPair> pairs = new ArrayList<>();
                for (int i = 0; i < model.blockCount(); i++) {
                    for (int j = i; j < model.blockCount() && j - i < passSpan; j++) pairs.add(new StreamPair(i, j + 1));
                }
                a.statistics(pairs);
            }
            SelectionResult sel = SpanSelection.select(a, SelectionGoal.remove(k), SearchOptions.defaults());
            r.put("model", modelPath.getFileName().toString());
            r.put("batch_size", batch);
            r.put("statistics", statsFile ? "file, every span up to " + passSpan + " blocks" : "the selection's pairs only");
            r.put("chosen", Span.text(sel.chosen().spans()));
            if (sel.runnerUp() != null) r.put("runner_up", SelectionStudy.runnerUp(sel.runnerUp()));
            List<Integer> stageSamples = new ArrayList<>();
            for (SelectionResult.Stage st : sel.stages()) stageSamples.add(st.samples());
            r.put("stage_samples", stageSamples);
            List<Object> rows = new ArrayList<>();
            for (Candidate c : sel.candidates()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("spans", Span.text(c.spans()));
                m.put("rank", c.rank());
                m.put("predicted", c.predicted());
                String key = Span.text(c.spans());
                if (c.checked() || extra.contains(key)) {
                    if (c.checked()) m.put("eliminated_after", c.chosen() ? null : c.checkedSamples());
                    List<Object> looks = new ArrayList<>();
                    Approximation ap = a.approximate(c.spans());
                    for (int n : stageSamples) {
                        HeldOutScore s = a.check(ap, n);
                        looks.add(Map.of("samples", n, "kl", s.klDivergence(), "drop", s.drop(), "agreement", s.agreement()));
                    }
                    m.put("looks", looks);
                }
                rows.add(m);
            }
            r.put("candidates", rows);
        } finally {
            Files.deleteIfExists(stats);
        }
        Files.writeString(out, Json.write(r));
    }
}
