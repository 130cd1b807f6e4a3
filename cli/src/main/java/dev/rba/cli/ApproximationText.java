package dev.rba.cli;

import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.Candidate;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.RunnerUp;
import dev.rba.core.approx.SavedModel;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanFit;
import dev.rba.core.fit.FitResult;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.SummaryToken;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text and JSON reports of {@code rba approximate}. */
final class ApproximationText {
    /** Rows of the accuracy search's check table: its best few, by its own order (the rest are in --json). */
    static final int ACCURACY_ROWS = 10;

    private ApproximationText() {
    }

    /** The text report as one string (rendered in full before anything is printed). */
    static String text(LoadedModel model, Approximator approx, Approximation a, SelectionResult selection,
                       HeldOutScore original, HeldOutScore score, SavedModel saved) {
        java.io.StringWriter s = new java.io.StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            print(out, model, approx, a, selection, original, score, saved);
        }
        return s.toString();
    }

    static void print(PrintWriter out, LoadedModel model, Approximator approx, Approximation a, SelectionResult selection,
                      HeldOutScore original, HeldOutScore score, SavedModel saved) {
        Tables.line(out, "rba approximate: " + model.path().getFileName() + " (" + model.originalBlockCount() + " blocks), translator "
                + a.method().label() + ", fits on the " + (a.sequential() ? "approximated model's activations (sequential)"
                : "original model's activations"));
        out.println("samples: " + fitSamples(a) + " fit (all tokens), " + approx.split().check().length
                + " held-out check, seed " + approx.options().seed());
        if (selection != null) {
            out.println();
            printSelection(out, selection);
        }
        out.println();
        Tables t = new Tables("span", "blocks", "params removed", "fit residual", "condition", "ridge", "fitted on");
        for (SpanFit f : a.fits()) {
            FitResult fit = f.fit();
            long params = 0;
            for (int k = f.span().first(); k <= f.span().last(); k++) params += approx.blockParameters(k);
            t.row(approx.numbering().label(f.span()), approx.numbering().toOriginal(f.span()).blocks(), Tables.count(params), num(fit.relativeResidual()),
                    num(fit.conditionNumber()), fit.ridgeLambda() == 0 ? "0" : num(fit.ridgeLambda()),
                    f.sequential() ? "approximated model" : "original model");
        }
        t.print(out);
        out.println();
        long before = a.parametersBefore();
        long after = a.parametersAfter();
        out.println(String.format(Locale.ROOT, "parameters: %s -> %s (%+.1f%%; T adds %s)", Tables.count(before),
                Tables.count(after), 100.0 * (after - before) / before, Tables.count(a.parametersAdded())));
        if (score != null) Tables.line(out, heldOut(original, score));
        Tables.line(out, "wrote " + saved.model() + (saved.dataFile() != null ? " with " + saved.dataFile().getFileName() : "")
                + String.format(Locale.ROOT, " (%.2f MB)", saved.bytes() / 1e6));
    }

    static void printSelection(PrintWriter out, SelectionResult r) {
        HeldOutScore o = r.original();
        out.println("selection: " + r.goal().describe());
        Tables.line(out, "quality: " + o.measure().label() + " (" + o.measure().description() + "); drop = "
                + o.dropMeaning() + ", with its 95% interval");
        boolean accuracy = r.search().byAccuracy();
        String howMany = r.search().candidates() == Integer.MAX_VALUE ? "every candidate"
                : "the best " + r.search().candidates();
        Tables.line(out, "candidates ranked by " + r.search().predictor().label() + " (lower = less damage predicted); "
                + (accuracy ? howMany + " of each size scored on all " + r.checkSamples() + " held-out samples, the most "
                        + "accurate chosen (--search accuracy)"
                        : howMany + " of each size checked in stages on up to " + r.checkSamples() + " held-out samples")
                + " (T fitted on " + r.fitSamples() + ")");
        StringBuilder stages = new StringBuilder();
        for (SelectionResult.Stage st : r.stages()) {
            stages.append(stages.isEmpty() ? "" : ", ").append(st.candidates()).append(" x ").append(st.blocks())
                    .append(" block(s) on ").append(st.samples());
        }
        Tables.line(out, "stages: " + stages + String.format(Locale.ROOT, " (%.1f s%s)", r.seconds(),
                !r.budgetExhausted() ? "" : accuracy ? "; the --budget ran out, later candidates not checked"
                        : "; the --budget ran out, later stages skipped"));
        if (o.hasLabels()) out.println("original model on the held-out samples: accuracy " + pct(o.accuracy()));
        boolean classes = o.measure() == dev.rba.core.approx.QualityMeasure.CLASS_SCORES;
        // two tables joined by their row number #: in one row, spans with their h indices and the intervals took up
        // to 150 columns (ranks restart at each size, so they cannot join the tables)
        Tables ranked = new Tables("#", "blocks", "rank", r.search().predictor().label(), "BR", "span(s)");
        // the true label's log-loss change: what a labelled stage blends with the KL (--label-weight)
        boolean logLoss = classes && o.hasLabels();
        Tables checked = new Tables("#", "samples", o.hasLabels() ? "accuracy" : "", classes ? "agreement [95%]" : "",
                classes ? "KL" : "cosine", logLoss ? "log-loss" : "", "drop [95%]", "chosen");
        int shown = 0;
        RunnerUp second = r.runnerUp();
        List<Candidate> checkedOnes = r.candidates().stream().filter(Candidate::checked).toList();
        List<Candidate> rows = accuracy ? accuracyRows(checkedOnes, r) : checkedOnes;
        int checkedCount = checkedOnes.size();
        for (Candidate c : rows) {
            boolean isRunnerUp = second != null && c.spans().equals(second.spans());
            shown++;
            HeldOutScore s = c.score();
            ranked.row(shown, c.blocks(), c.rank(), num(c.predicted()), num(c.blockRedundancy()), labels(c.spans()));
            checked.row(shown, s.samples(), o.hasLabels() ? pct(s.accuracy()) : "",
                    // the interval's bounds without their % signs: the row stays within Tables.WIDTH with the
                    // log-loss column
                    classes ? pct(s.agreement()) + " [" + points(s.agreementInterval().low()) + ", "
                            + points(s.agreementInterval().high()) + "]" : "",
                    String.format(Locale.ROOT, "%.4f", classes ? s.klDivergence() : s.cosine()),
                    logLoss ? String.format(Locale.ROOT, "%.4f", s.logLossChange()) : "",
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", s.drop(), s.dropInterval().low(), s.dropInterval().high()),
                    c.chosen() ? "<- chosen" + (second != null && second.tiedWithinNoise() ? " (tied)" : "")
                            : isRunnerUp ? "runner-up" + (second.tiedWithinNoise() ? " (tied)" : "") : "");
        }
        out.println("candidates checked:");
        ranked.print(out);
        out.println("their held-out check, by #:");
        checked.print(out);
        if (checkedCount > shown) {
            Tables.line(out, "(" + (checkedCount - shown) + " more checked, less accurate; --json lists every one)");
        }
        int unchecked = r.candidates().size() - checkedCount;
        if (unchecked > 0) {
            Tables.line(out, "(" + unchecked + " lower-ranked candidates not checked; raise --candidates to check more)");
        }
        Tables.line(out, (accuracy ? "every candidate ran on all the samples, ordered by their drop in top-1 accuracy, ties by "
                : "candidates checked on fewer samples were eliminated at that stage (ordered by ")
                + switch (r.search().stagedFigure(o)) {
                    case "kl+labels" -> String.format(Locale.ROOT, "%.2f x KL + %.2f x log-loss, the change of the true "
                            + "label's log-loss", 1 - r.search().labelWeightFor(o), r.search().labelWeightFor(o));
                    case "kl" -> "KL divergence of the softmax";
                    default -> "drop";
                }
                + (accuracy ? "" : ")") + "; overlapping intervals mean the samples cannot tell those candidates apart");
        if (second != null && r.found()) Tables.line(out, runnerUpLine(second));
    }

    /**
     * The accuracy search checks hundreds: the best {@link #ACCURACY_ROWS} by its own order (least drop, ties by the
     * staged figure), always with the chosen one and its runner-up, which with --max-drop need not be among the least
     * drops (a smaller size has smaller drops, a larger one was chosen).
     */
    private static List<Candidate> accuracyRows(List<Candidate> checked, SelectionResult r) {
        List<Candidate> sorted = checked.stream().sorted(r.search().accuracyOrder()).toList();
        RunnerUp second = r.runnerUp();
        List<Candidate> must = sorted.stream().filter(c -> c.chosen()
                || (second != null && r.found() && c.spans().equals(second.spans()))).toList();
        List<Candidate> rows = new ArrayList<>(must);
        for (Candidate c : sorted) {
            if (rows.size() >= Math.max(ACCURACY_ROWS, must.size())) break;
            if (!rows.contains(c)) rows.add(c);
        }
        return sorted.stream().filter(rows::contains).toList();
    }

    /**
     * The chosen candidate against its runner-up on the samples both ran, in the figure the stage compared: whether
     * the samples could tell them apart. A tie says the choice between them rests on noise (issue 10: a batch size
     * that moved an ill-conditioned fit by its rounding flipped such a choice).
     */
    static String runnerUpLine(RunnerUp u) {
        String figure = u.byDivergence() ? (u.labelWeight() > 0 ? "KL+labels" : "KL") : "drop";
        String digits = u.byDivergence() ? "%.3g" : "%.2f";   // KL gaps span orders of magnitude
        String gap = String.format(Locale.ROOT, figure + " " + digits + " against the chosen's " + digits + ", difference "
                + digits + " [" + digits + ", " + digits + "] (paired 95%%)", u.runnerUp(), u.chosen(), u.gap(),
                u.difference().low(), u.difference().high());
        return "runner-up " + Span.text(u.spans()) + " on the same " + u.samples() + " samples: " + gap + ": "
                + (u.tiedWithinNoise()
                ? "tied within noise; these samples cannot tell the two apart, either may do better on other data "
                        + "(more --check-samples narrow the interval)"
                : "the chosen one is ahead beyond noise");
    }

    /**
     * approximate's JSON report (Json writes the components in order, in snake_case). {@code heldOut} is null without
     * held-out samples, {@code selection} with --replace, {@code summaryToken} when BR read no token.
     */
    public record JsonReport(String model, String output, String dataFile, long bytes, String translator, boolean sequential,
                             long fitSamples, int checkSamples, long seed, List<SpanJson> spans, long parametersBefore,
                             long parametersAfter, HeldOut heldOut, Selection selection, String record,
                             Map<String, Double> timingsS, ReportParts.PaddingMask paddingMask,
                             ReportParts.SummaryToken summaryToken) {
        static JsonReport of(LoadedModel model, Approximator approx, Approximation a, SelectionResult selection,
                             HeldOutScore original, HeldOutScore score, SavedModel saved, Map<String, Double> timings) {
            SummaryToken.Choice token = approx.decidedSummaryToken();
            return new JsonReport(model.path().toString(), saved.model().toString(),
                    saved.dataFile() == null ? null : saved.dataFile().toString(), saved.bytes(), a.method().label(),
                    a.sequential(), ApproximationText.fitSamples(a), approx.split().check().length, approx.options().seed(),
                    a.fits().stream().map(SpanJson::of).toList(), a.parametersBefore(), a.parametersAfter(),
                    score == null ? null : new HeldOut(ScoreJson.of(original), ScoreJson.of(score)),
                    selection == null ? null : Selection.of(selection), saved.record(), timings, ReportParts.PaddingMask.of(model),
                    token == null ? null : new ReportParts.SummaryToken(token.token().name().toLowerCase(Locale.ROOT), token.reason()));
        }
    }

    /** One replaced span and its fit. */
    public record SpanJson(List<Integer> blocks, int hIn, int hOut, double relativeResidual, double conditionNumber, double ridge,
                           String fittedOn, List<String> warnings) {
        static SpanJson of(SpanFit f) {
            FitResult fit = f.fit();
            return new SpanJson(List.of(f.span().first(), f.span().last()), f.span().inputBoundary(), f.span().outputBoundary(),
                    fit.relativeResidual(), fit.conditionNumber(), fit.ridgeLambda(), f.sequential() ? "approximated" : "original",
                    fit.warnings());
        }
    }

    /** The original's and the approximated model's scores on the same held-out samples. */
    public record HeldOut(ScoreJson original, ScoreJson approximated) {
    }

    /**
     * How --remove/--max-drop chose: the search ("staged" or "accuracy"), how many candidates it checked (all sizes
     * together), what it ordered by ("kl", "kl+labels", "drop" or "accuracy") with the label weight that applied (0
     * without labels; in the accuracy search it breaks ties), its stages and every candidate ranked.
     */
    public record Selection(String goal, String quality, String rankBy, String search, long candidatesChecked,
                            String decidedBy, double labelWeight, double seconds, boolean budgetExhausted,
                            List<SelectionResult.Stage> stages, List<CandidateJson> candidates, RunnerUpJson runnerUp) {
        static Selection of(SelectionResult r) {
            return new Selection(r.goal().describe(), r.measure().label(), r.search().predictor().label(),
                    r.search().byAccuracy() ? "accuracy" : "staged", r.candidates().stream().filter(Candidate::checked).count(),
                    r.search().stageFigure(r.original()), r.search().labelWeightFor(r.original()), r.seconds(), r.budgetExhausted(), r.stages(),
                    r.candidates().stream().map(CandidateJson::of).toList(),
                    r.runnerUp() == null || !r.found() ? null : RunnerUpJson.of(r.runnerUp()));
        }
    }

    /**
     * The chosen candidate's runner-up ({@link RunnerUp}): both compared on the same {@code samples} in the figure the
     * stage ordered by ("kl", "kl+labels" or "drop"), the paired 95% interval of (runner-up - chosen), and whether it holds 0.
     */
    public record RunnerUpJson(String spans, int samples, String decidedBy, double chosen, double runnerUp, double difference,
                               List<Double> differenceInterval, boolean tiedWithinNoise) {
        static RunnerUpJson of(RunnerUp u) {
            return new RunnerUpJson(Span.text(u.spans()), u.samples(), u.figure(), u.chosen(), u.runnerUp(),
                    u.gap(), List.of(u.difference().low(), u.difference().high()), u.tiedWithinNoise());
        }
    }

    /** A candidate set of spans; {@code score} is null when it was not checked. */
    public record CandidateJson(String spans, int blocks, double predicted, int rank, double br, boolean checked, ScoreJson score,
                                boolean chosen) {
        static CandidateJson of(Candidate c) {
            return new CandidateJson(Span.text(c.spans()), c.blocks(), c.predicted(), c.rank(), c.blockRedundancy(), c.checked(),
                    c.checked() ? ScoreJson.of(c.score()) : null, c.chosen());
        }
    }

    /** A {@link HeldOutScore}, its intervals as [low, high]. */
    public record ScoreJson(String quality, int samples, double drop, List<Double> dropInterval, String dropMeaning,
                            double accuracy, double agreement, List<Double> agreementInterval, double klDivergence,
                            double cosine, double tokenRelativeError, double outputRelativeError) {
        static ScoreJson of(HeldOutScore s) {
            return new ScoreJson(s.measure().label(), s.samples(), s.drop(), List.of(s.dropInterval().low(), s.dropInterval().high()),
                    s.dropMeaning(), s.accuracy(), s.agreement(),
                    List.of(s.agreementInterval().low(), s.agreementInterval().high()), s.klDivergence(), s.cosine(),
                    s.tokenRelativeError(), s.outputRelativeError());
        }
    }

    private static String heldOut(HeldOutScore o, HeldOutScore s) {
        String drop = String.format(Locale.ROOT, "drop %.2f [%.2f, %.2f] (%s)", s.drop(), s.dropInterval().low(),
                s.dropInterval().high(), s.dropMeaning());
        String head = String.format(Locale.ROOT, "held-out (%d samples, quality %s): ", s.samples(), s.measure().label());
        return switch (s.measure()) {
            case CLASS_SCORES -> head + (s.hasLabels() ? "accuracy " + pct(o.accuracy()) + " -> " + pct(s.accuracy()) + ", " : "")
                    + "agreement with the original " + pct(s.agreement()) + String.format(Locale.ROOT, ", KL %.4f, ", s.klDivergence())
                    + drop;
            case TOKEN_EMBEDDINGS -> head + String.format(Locale.ROOT, "mean-pooled cosine %.4f, per-token relative error %.4f, ",
                    s.cosine(), s.tokenRelativeError()) + drop;
            case POOLED_EMBEDDING -> head + String.format(Locale.ROOT, "cosine %.4f, ", s.cosine()) + drop;
            case RELATIVE_L2 -> head + drop;
        };
    }

    private static String labels(List<Span> spans) {
        List<String> parts = new ArrayList<>();
        for (Span s : spans) parts.add(s.text() + " (h_" + s.inputBoundary() + "->h_" + s.outputBoundary() + ")");
        return String.join(" + ", parts);
    }

    private static String points(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return "inf";
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Samples the fits really saw: with --stats FILE that is the file's count, not the size of this run's split. */
    private static long fitSamples(Approximation a) {
        long n = 0;
        for (SpanFit f : a.fits()) n = Math.max(n, f.fitSamples());
        return n;
    }
}
