package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.QualityMeasure;
import dev.rba.core.approx.SavedModel;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanPredictor;
import dev.rba.core.approx.SpanSelection;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.Ridge;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.StageTimes;
import dev.rba.core.pipeline.SummaryToken;
import dev.rba.onnx.api.NewOutputs;
import dev.rba.onnx.api.OutputFile;
import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code rba approximate}: replace spans of blocks by fitted linear maps and save the smaller model. */
@Command(name = "approximate",
        header = "Replaces spans of blocks by fitted linear maps; writes the model.",
        description = {"Replaces spans of transformer blocks by one linear map T each, fitted in",
                "closed form on calibration data, and saves the smaller model as plain ONNX",
                "(no retraining).",
                "",
                "Span START-END (0-based, inclusive) removes blocks START..END and maps",
                "h_START to h_{END+1}: --replace 9-10 removes blocks 9 and 10 and maps h_9 to",
                "h_11. Give --replace several times for several non-overlapping spans, or",
                "let rba choose:",
                "  --remove K     remove K blocks in total, with the least held-out drop",
                "  --max-drop P   remove as many blocks as keep the drop, at the upper end",
                "                 of its 95%% interval, at most P points",
                "rba ranks candidates (sets of up to --max-spans spans) by the fit's",
                "unexplained variance 1-R^2 (--rank-by), then checks the best --candidates",
                "on held-out samples that no fit saw, in stages: all on a few samples, the",
                "better half on twice as many, until one is left (docs/selection.md).",
                "Class scores are compared by the KL divergence of the softmax from the",
                "original's; with labelled data, blended with the change of the true",
                "label's log-loss (--label-weight), so that accuracy, not only fidelity,",
                "weighs in. With labels and time to spare, --search accuracy scores every",
                "candidate on all --check-samples (default 2000) and keeps the most",
                "accurate: a model run per candidate and sample, often 100x slower, and",
                "closer to the best choice where fidelity misleads (augmented or",
                "under-trained models; docs/selection.md).",
                "",
                "The drop is measured in the terms that fit the model's output (--quality):",
                "  class-scores      points of top-1 accuracy (labels) or agreement",
                "  token-embeddings  100 x (1 - cosine of mask-aware mean-pooled tokens)",
                "  pooled-embedding  100 x (1 - cosine of the output vectors)",
                "  relative-l2       100 x relative L2 error of the output",
                "",
                "T is fitted on all tokens of --samples calibration samples (default 500,",
                "as in the paper), on the original model's activations; --sequential fits",
                "each later span on the activations of the model with the earlier spans",
                "already replaced. The output records what was done in its metadata_props",
                "(rba.approximation).",
                "",
                "Examples:",
                "  rba approximate vit.onnx --data fashion-mnist --split test \\",
                "      --replace 5-6 -o vit_rba.onnx",
                "  rba approximate vit.onnx --data val/ --remove 2 -o vit_rba.onnx",
                "  rba approximate vit.onnx --data val/ --remove 3 --search accuracy \\",
                "      --budget 3600 -o vit_rba.onnx",
                ""})
final class ApproximateCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to approximate (external data beside it is found).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx",
            description = "Where to write the approximated model (never the input; written to a temporary file, then renamed).")
    Path output;

    @Option(names = "--replace", paramLabel = "START-END", split = ",", hideParamSyntax = true,
            converter = OptionValues.SpanValue.class, description = "A span of blocks to replace, e.g. 9-10 (repeatable; spans must not overlap).")
    List<Span> replace;

    @Option(names = "--remove", paramLabel = "K", description = "Remove K blocks in total; rba chooses the spans.")
    Integer remove;

    @Option(names = "--max-drop", paramLabel = "P",
            description = "Remove as many blocks as keep the held-out drop at most P percentage points; rba chooses the spans.")
    Double maxDrop;

    @Option(names = "--translator", paramLabel = "linear|affine|orthogonal|identity", defaultValue = "linear",
            converter = EnumValues.Translator.class, completionCandidates = EnumValues.Translator.class,
            description = "How each span is replaced (default ${DEFAULT-VALUE}): linear = least squares h_{j+1} ~ h_i T, "
                    + "no bias (the paper's); affine = with bias; orthogonal = Procrustes; identity = drop the blocks.")
    FitMethod translator;

    @Option(names = "--ridge", paramLabel = "LAMBDA|auto", converter = OptionValues.RidgeValue.class,
            description = "Ridge of the linear/affine fit: solves (G + lambda I) T = C with lambda = LAMBDA times the "
                    + "Gram's mean eigenvalue, or auto: the least lambda that brings G's condition number to 2^20 "
                    + "(none if it is lower). Default: none.")
    Ridge ridge;

    @Mixin
    DataMixin data;

    @Option(names = "--check-samples", paramLabel = "N",
            description = "Held-out samples (disjoint from --samples) that candidates and the result are scored on (default "
                    + ApproximationOptions.DEFAULT_CHECK_SAMPLES + "; " + SearchOptions.ACCURACY_CHECK_SAMPLES
                    + " with --search accuracy; or what the data has left).")
    Integer checkSamples;

    @Option(names = "--candidates", paramLabel = "N|all", converter = OptionValues.CandidateCount.class,
            description = "With --remove/--max-drop: candidates per size checked on held-out samples, the best by "
                    + "--rank-by (default " + SearchOptions.DEFAULT_CANDIDATES + "; with --search accuracy, all).")
    Integer candidates;

    /** How a selection checks its candidates on the held-out samples. */
    enum SearchKind { STAGED, ACCURACY }

    @Option(names = "--search", paramLabel = "staged|accuracy", defaultValue = "staged",
            converter = EnumValues.Search.class, completionCandidates = EnumValues.Search.class,
            description = "With --remove/--max-drop: staged (default) = successive halving ordered by KL (+ labels), about "
                    + "2x an analyze pass; accuracy = labelled class scores only: every candidate on all --check-samples "
                    + "(default " + SearchOptions.ACCURACY_CHECK_SAMPLES + "), the most accurate wins; costs candidates x "
                    + "samples model runs, often 100x more.")
    SearchKind searchKind;

    @Option(names = "--max-spans", paramLabel = "N", defaultValue = "" + SearchOptions.DEFAULT_MAX_SPANS,
            description = "With --remove/--max-drop: most spans in one candidate (default ${DEFAULT-VALUE}; 1 = single spans).")
    int maxSpans;

    @Option(names = "--rank-by", paramLabel = "PREDICTOR", defaultValue = "fit-1-r2",
            converter = EnumValues.RankBy.class, completionCandidates = EnumValues.RankBy.class,
            description = "With --remove/--max-drop: what orders candidates before the check, one of "
                    + "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    SpanPredictor rankBy;

    @Option(names = "--label-weight", paramLabel = "W", defaultValue = "" + SearchOptions.DEFAULT_LABEL_WEIGHT,
            description = "With --remove/--max-drop on labelled data and class scores: each check stage orders candidates "
                    + "by (1-W) x KL divergence from the original + W x change of the true label's log-loss (default "
                    + "${DEFAULT-VALUE}; 0 = stay closest to the original, 1 = labels alone, noisier).")
    double labelWeight;

    @Option(names = "--budget", paramLabel = "SECONDS", defaultValue = "0",
            description = "With --remove/--max-drop: start no further check stage (with --search accuracy: no further "
                    + "candidate) after this many seconds (default 0 = no limit).")
    double budget;

    @Option(names = "--quality", paramLabel = "MEASURE", defaultValue = EnumValues.Quality.AUTO,
            converter = EnumValues.Quality.class, completionCandidates = EnumValues.Quality.class,
            description = "How outputs are compared, one of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: "
                    + "from the output's name and shape).")
    QualityMeasure quality;

    @Option(names = "--sequential", description = "Fit each later span on the activations of the model with the earlier spans replaced.")
    boolean sequential;

    @Option(names = "--stats", paramLabel = "FILE",
            description = "Statistics file: reused when it exists (e.g. from rba analyze), else written after the calibration pass.")
    Path stats;

    @Mixin
    SummaryTokenMixin summaryToken;

    @Mixin
    BoundariesMixin boundaries;

    @Mixin
    RuntimeMixin runtime;

    @Mixin
    BackendMixin backendChoice;

    @Mixin
    JsonMixin json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        SelectionGoal goal = goal();
        SearchOptions search = goal == null ? null : searchOptions();
        RuntimeOptions rt = runtime.runtimeOptions();
        // a --stats file this run writes is removed again when a later step fails: a failed command leaves no new file
        NewOutputs created = new NewOutputs();
        if (stats != null) created.before(stats);
        try {
            return approximate(goal, translator, quality, search, rt, out, err);
        } catch (Exception e) {
            created.removeAll(e);
            throw e;
        }
    }

    private int approximate(SelectionGoal goal, FitMethod method, QualityMeasure measure, SearchOptions search,
            RuntimeOptions rt, PrintWriter out, PrintWriter err) throws Exception {
        StageTimes times = new StageTimes();
        try (LoadedModel loaded = boundaries.open(model, times)) {
            Approximator.checkOutput(loaded, output, outputInputs(loaded));
            List<Span> spans = goal == null ? replace : List.of();
            CalibrationData cd = times.time("data open", () -> data.open(loaded, err, common.quiet));
            int[] counts = sampleCounts(cd.size(), goal != null);
            if (goal != null && accuracySearch()) accuracyPreflight(cd, counts[1], err);
            // --replace without --stats captures the two ends of each span; a selection or a statistics file every h_k
            int captured = goal == null && stats == null ? Math.min(2 * spans.size(), loaded.blockCount() + 1)
                    : loaded.blockCount() + 1;
            ApproximationOptions options = new ApproximationOptions(method, counts[0], counts[1],
                    data.batchSize(captured, loaded),
                    data.seed(), sequential, rt.threads(), rt.cuda(), summaryToken.token, stats,
                    ridge == null ? Ridge.NONE : ridge);
            BackendSelection backend = times.time("backend", () -> backendChoice.openBackend(err, common.quiet));
            try (StagedProgress progress = new StagedProgress(err, common.quiet)) {
                Approximator approx = new Approximator(loaded, cd, backend.backend(), options, progress, measure);
                if (goal == null) spans = approx.userSpans(spans);
                Approximation result;
                HeldOutScore original = null;
                HeldOutScore score = null;
                SelectionResult selection = null;
                if (goal == null) {
                    result = approx.approximate(spans);
                    if (counts[1] > 0) {
                        original = approx.checkOriginal();
                        score = approx.check(result);
                    }
                } else {
                    selection = SpanSelection.select(approx, goal, search);
                    if (!selection.found()) {
                        progress.close();
                        if (!json.enabled) ApproximationText.printSelection(out, selection);
                        out.flush();
                        throw new IllegalArgumentException("no candidate keeps the held-out drop within " + maxDrop
                                + " points (see the table): allow a larger --max-drop");
                    }
                    result = selection.approximation();
                    original = selection.original();
                    score = selection.chosen().score();
                }
                SavedModel saved = approx.save(result, output, original, score);
                progress.close();
                if (!common.quiet && approx.decidedSummaryToken() != null) {
                    SummaryToken.Choice c = approx.decidedSummaryToken();
                    err.println("rba: BR read the " + c.token().name().toLowerCase(java.util.Locale.ROOT) + " token: " + c.reason());
                }
                times.addAll("", approx.times());
                String report;
                try {
                    // rendered before anything is printed, so that a failure leaves no output file behind
                    if (json.enabled) {
                        report = Json.write(ApproximationText.JsonReport.of(loaded, approx, result, selection, original, score,
                                saved, times.seconds()));
                    } else {
                        report = ApproximationText.text(loaded, approx, result, selection, original, score, saved);
                    }
                } catch (RuntimeException e) {
                    saved.delete();
                    throw e;
                }
                for (var f : result.fits()) {
                    for (String w : f.fit().warnings()) err.println("rba: warning: span " + f.span().text() + ": " + w);
                }
                if (!common.quiet) err.println(times.line());
                err.flush();
                if (json.enabled) out.println(report);
                else out.print(report);
            } finally {
                backend.backend().close();
            }
        }
        out.flush();
        return 0;
    }

    /**
     * What -o must not be: the data, and the statistics file, which is read when it exists and else written (then
     * checked as an output of its own).
     */
    private List<Path> outputInputs(LoadedModel loaded) throws IOException {
        List<Path> inputs = new ArrayList<>(data.inputFiles(loaded.path().toAbsolutePath().getParent()));
        if (stats != null && !Files.exists(stats)) {
            List<Path> statsMustNotBe = new ArrayList<>(loaded.inputFiles());
            statsMustNotBe.addAll(inputs);
            OutputFile.check(stats, "--stats", statsMustNotBe);
            OutputFile.checkDistinct(stats, "--stats", output, "-o");
        } else if (stats != null) {
            inputs.add(stats);
        }
        return inputs;
    }

    /** Exactly one of --replace, --remove, --max-drop; null for --replace. */
    private boolean accuracySearch() {
        return searchKind == SearchKind.ACCURACY;
    }

    private SearchOptions searchOptions() {
        int n = candidates != null ? candidates : accuracySearch() ? Integer.MAX_VALUE : SearchOptions.DEFAULT_CANDIDATES;
        SearchOptions s = new SearchOptions(n, maxSpans, rankBy, budget, true, labelWeight);
        return accuracySearch() ? s.withAccuracy() : s;
    }

    /**
     * The accuracy search counts right answers: refused at once (before the calibration pass) without labels, and a
     * note when fewer held-out samples than the study needed are there.
     */
    private void accuracyPreflight(CalibrationData cd, int check, PrintWriter err) {
        if (!cd.hasLabels()) {
            throw new IllegalArgumentException("--search accuracy counts right answers, but the data has no labels: give "
                    + "labelled data (class folders, IDX with its labels file, an .npz with a labels array) or leave out --search");
        }
        if (check < SearchOptions.ACCURACY_CHECK_SAMPLES && !common.quiet) {
            err.println("rba: note: --search accuracy on " + check + " held-out samples; its choice held in the study "
                    + "from " + SearchOptions.ACCURACY_CHECK_SAMPLES + " on (docs/selection.md): give more data or "
                    + "--check-samples");
        }
    }

    private SelectionGoal goal() {
        int given = (replace != null && !replace.isEmpty() ? 1 : 0) + (remove != null ? 1 : 0) + (maxDrop != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --replace START-END, --remove K or --max-drop P");
        }
        if (remove != null) return SelectionGoal.remove(remove);
        if (maxDrop != null) return SelectionGoal.maxDrop(maxDrop);
        return null;
    }

    /**
     * Fit and check sample counts: --samples (default 500, capped at what the data holds) and --check-samples
     * (default 500, capped at what is left). A selection needs held-out samples, so by default it leaves at least
     * half of a small data set for them.
     */
    private int[] sampleCounts(int n, boolean selecting) {
        int wantCheck = checkSamples != null ? checkSamples
                : selecting && accuracySearch() ? SearchOptions.ACCURACY_CHECK_SAMPLES : ApproximationOptions.DEFAULT_CHECK_SAMPLES;
        if (wantCheck < 0) throw new IllegalArgumentException("--check-samples must be 0 or more, got " + wantCheck);
        int fit;
        if (data.samplesGiven()) {
            fit = data.samples(ApproximationOptions.DEFAULT_FIT_SAMPLES);
        } else {
            int room = selecting ? Math.max(1, n - Math.min(wantCheck, n / 2)) : n;
            fit = Math.min(ApproximationOptions.DEFAULT_FIT_SAMPLES, room);
        }
        int check = checkSamples != null ? checkSamples : Math.max(0, Math.min(wantCheck, n - fit));
        if (selecting && check == 0) {
            throw new IllegalArgumentException("--remove/--max-drop check candidates on held-out samples, but the data's " + n
                    + " samples all go to --samples " + fit + ": give more data or fewer --samples");
        }
        if ((long) fit + check > n) {
            throw new IllegalArgumentException("the calibration data has " + n + " samples but --samples " + fit
                    + " + --check-samples " + check + " were asked for: ask for fewer or give more data");
        }
        return new int[] {fit, check};
    }
}
