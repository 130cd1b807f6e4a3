package dev.rba.cli;

import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.Candidate;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.SavedModel;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanFit;
import dev.rba.core.fit.FitResult;
import dev.rba.core.pipeline.LoadedModel;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text and JSON reports of {@code rba approximate}. */
final class ApproximationText {
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
        out.println("rba approximate: " + model.path().getFileName() + " (" + model.originalBlockCount() + " blocks), translator "
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
        if (score != null) out.println(heldOut(original, score));
        out.println("wrote " + saved.model() + (saved.dataFile() != null ? " with " + saved.dataFile().getFileName() : "")
                + String.format(Locale.ROOT, " (%.2f MB)", saved.bytes() / 1e6));
    }

    static void printSelection(PrintWriter out, SelectionResult r) {
        HeldOutScore o = r.original();
        out.println("selection: " + r.goal().describe());
        out.println("quality: " + o.measure().label() + " (" + o.measure().description() + "); drop = "
                + o.dropMeaning() + ", with its 95% interval");
        out.println("candidates ranked by " + r.search().predictor().label() + " (lower = less damage predicted); the best "
                + r.search().candidates() + " of each size checked in stages on up to " + r.checkSamples()
                + " held-out samples (T fitted on " + r.fitSamples() + ")");
        StringBuilder stages = new StringBuilder();
        for (SelectionResult.Stage st : r.stages()) {
            stages.append(stages.isEmpty() ? "" : ", ").append(st.candidates()).append(" x ").append(st.blocks())
                    .append(" block(s) on ").append(st.samples());
        }
        out.println("stages: " + stages + String.format(Locale.ROOT, " (%.1f s%s)", r.seconds(),
                r.budgetExhausted() ? "; the --budget ran out, later stages skipped" : ""));
        if (o.hasLabels()) out.println("original model on the held-out samples: accuracy " + pct(o.accuracy()));
        boolean classes = o.measure() == dev.rba.core.approx.QualityMeasure.CLASS_SCORES;
        Tables t = new Tables("blocks", "rank", "span(s)", r.search().predictor().label(), "BR", "samples",
                o.hasLabels() ? "accuracy" : "", classes ? "agreement [95%]" : "", classes ? "KL" : "cosine",
                "drop [95%]", "chosen");
        int shown = 0;
        for (Candidate c : r.candidates()) {
            if (!c.checked()) continue;
            shown++;
            HeldOutScore s = c.score();
            t.row(c.blocks(), c.rank(), labels(c.spans()), num(c.predicted()), num(c.blockRedundancy()), s.samples(),
                    o.hasLabels() ? pct(s.accuracy()) : "",
                    classes ? pct(s.agreement()) + " [" + pct(s.agreementInterval().low()) + ", "
                            + pct(s.agreementInterval().high()) + "]" : "",
                    String.format(Locale.ROOT, "%.4f", classes ? s.klDivergence() : s.cosine()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", s.drop(), s.dropInterval().low(), s.dropInterval().high()),
                    c.chosen() ? "<- chosen" : "");
        }
        t.print(out);
        int unchecked = r.candidates().size() - shown;
        if (unchecked > 0) {
            out.println("(" + unchecked + " lower-ranked candidates not checked; raise --candidates to check more)");
        }
        out.println("candidates checked on fewer samples were eliminated at that stage (ordered by "
                + (r.search().byDivergence() && classes ? "KL divergence of the softmax" : "drop")
                + "); overlapping intervals mean the samples cannot tell those candidates apart");
    }

    static Map<String, Object> report(LoadedModel model, Approximator approx, Approximation a, SelectionResult selection,
                                      HeldOutScore original, HeldOutScore score, SavedModel saved) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.path().toString());
        r.put("output", saved.model().toString());
        r.put("data_file", saved.dataFile() == null ? null : saved.dataFile().toString());
        r.put("bytes", saved.bytes());
        r.put("translator", a.method().label());
        r.put("sequential", a.sequential());
        r.put("fit_samples", fitSamples(a));
        r.put("check_samples", approx.split().check().length);
        r.put("seed", approx.options().seed());
        List<Object> spans = new ArrayList<>();
        for (SpanFit f : a.fits()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("blocks", List.of(f.span().first(), f.span().last()));
            s.put("h_in", f.span().inputBoundary());
            s.put("h_out", f.span().outputBoundary());
            s.put("relative_residual", f.fit().relativeResidual());
            s.put("condition_number", f.fit().conditionNumber());
            s.put("ridge", f.fit().ridgeLambda());
            s.put("fitted_on", f.sequential() ? "approximated" : "original");
            s.put("warnings", f.fit().warnings());
            spans.add(s);
        }
        r.put("spans", spans);
        r.put("parameters_before", a.parametersBefore());
        r.put("parameters_after", a.parametersAfter());
        if (score != null) r.put("held_out", Map.of("original", score(original), "approximated", score(score)));
        if (selection != null) {
            Map<String, Object> sel = new LinkedHashMap<>();
            sel.put("goal", selection.goal().describe());
            sel.put("quality", selection.measure().label());
            sel.put("rank_by", selection.search().predictor().label());
            sel.put("candidates_checked", selection.search().candidates());
            sel.put("seconds", selection.seconds());
            sel.put("budget_exhausted", selection.budgetExhausted());
            List<Object> stages = new ArrayList<>();
            for (SelectionResult.Stage st : selection.stages()) {
                stages.add(Map.of("blocks", st.blocks(), "candidates", st.candidates(), "samples", st.samples()));
            }
            sel.put("stages", stages);
            List<Object> cands = new ArrayList<>();
            for (Candidate c : selection.candidates()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("spans", Span.text(c.spans()));
                m.put("blocks", c.blocks());
                m.put("predicted", c.predicted());
                m.put("rank", c.rank());
                m.put("br", c.blockRedundancy());
                m.put("checked", c.checked());
                if (c.checked()) m.put("score", score(c.score()));
                m.put("chosen", c.chosen());
                cands.add(m);
            }
            sel.put("candidates", cands);
            r.put("selection", sel);
        }
        r.put("record", saved.record());
        return r;
    }

    private static Map<String, Object> score(HeldOutScore s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quality", s.measure().label());
        m.put("samples", s.samples());
        m.put("drop", s.drop());
        m.put("drop_interval", List.of(s.dropInterval().low(), s.dropInterval().high()));
        m.put("drop_meaning", s.dropMeaning());
        m.put("accuracy", s.accuracy());
        m.put("agreement", s.agreement());
        m.put("agreement_interval", List.of(s.agreementInterval().low(), s.agreementInterval().high()));
        m.put("kl_divergence", s.klDivergence());
        m.put("cosine", s.cosine());
        m.put("token_relative_error", s.tokenRelativeError());
        m.put("output_relative_error", s.outputRelativeError());
        return m;
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
