package dev.rba.cli;

import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SimilarityTable;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.approx.BlockNumbering;
import dev.rba.core.approx.Span;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.CalibrationTimings;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.onnx.api.OutputFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The analyze command's output: a JSON-ready map and the text tables. */
final class AnalysisReport {
    private AnalysisReport() {
    }

    /** analyze's JSON report, also the --report file (Json writes the components in order, in snake_case). */
    public record JsonReport(String model, String data, int blocks, long d, long tokens, List<String> boundaries, long samples,
                             long tokenRows, ReportParts.SummaryToken summaryToken, String similarityTokens,
                             ReportParts.PaddingMask paddingMask, String backend, Timings timings, List<SpanJson> spans,
                             Map<String, Matrix> matrices, Map<String, Object> files) {
        /** The report of every span; {@code files} is the map of files written, which the command may still add to. */
        static JsonReport of(LoadedModel m, CalibrationData cd, CalibrationResult r, RedundancyReport a, Map<String, Object> files) {
            List<SpanJson> spans = new ArrayList<>();
            for (int i = 0; i < a.spans().size(); i++) spans.add(SpanJson.of(i + 1, m, a.spans().get(i), changeRows(r)));
            Map<String, Matrix> matrices = new LinkedHashMap<>();
            for (SimilarityTable t : a.matrices()) matrices.put(t.metric(), new Matrix(t.tokens(), List.of(t.values())));
            return new JsonReport(m.path().toString(), cd.description(), a.blocks(), m.d(), m.tokens(), r.boundaryNames(),
                    a.samples(), a.rows(), new ReportParts.SummaryToken(a.summaryToken(), r.summaryToken().reason()),
                    r.similarityTokens().name().toLowerCase(Locale.ROOT), ReportParts.PaddingMask.of(m), r.backend(),
                    Timings.of(r.timings()), spans, matrices, files);
        }
    }

    /** One ranked span, numbered as the user numbers blocks; {@code h} is its [input, output] stream. */
    public record SpanJson(int rank, String span, String label, List<Integer> blocks, List<Integer> h, double br,
                           double summaryCosine, double relativeChange, String relativeChangeRows) {
        static SpanJson of(int rank, LoadedModel m, SpanScore s, String changeRows) {
            Span user = original(m, s);
            return new SpanJson(rank, user.text(), AnalysisReport.label(m, s), List.of(user.first(), user.last()),
                    List.of(s.asSpan().inputBoundary(), s.asSpan().outputBoundary()), s.br(), s.summaryCosine(),
                    s.relativeChange(), changeRows);
        }
    }

    /** A similarity matrix over h_0..h_L and the token rows it was computed on. */
    public record Matrix(String tokens, List<double[]> values) {
    }

    /** {@link CalibrationTimings} under the keys scripts read, in seconds (_s) or as ratios. */
    public record Timings(double sessionS, double dataS, double onnxruntimeS, double copyOutS, double statisticsS, double otherS,
                          double totalS, double statisticsOverForward, long batches, double medianOnnxruntimeBatchS,
                          double medianStatisticsBatchS, double statisticsOverForwardSteady) {
        static Timings of(CalibrationTimings t) {
            return new Timings(t.sessionSeconds(), t.dataSeconds(), t.forwardSeconds(), t.copyOutSeconds(), t.statisticsSeconds(),
                    t.consumerSeconds(), t.totalSeconds(), t.overheadRatio(), t.batches(), t.medianForwardBatchSeconds(),
                    t.medianStatisticsBatchSeconds(), t.steadyOverheadRatio());
        }
    }

    /**
     * The rows the relative change is summed over: those of the statistics BR was read from, all tokens when the pass
     * kept all-token Grams, else the summary (or similarity) token's one row per sample.
     */
    static String changeRows(CalibrationResult r) {
        return switch (r.fitStatistics().plan().selection()) {
            case ALL -> "all tokens";
            case CLS -> "cls token";
            case MEAN -> "mean token";
        };
    }

    /** A span in the numbers the user sees (those of the original model, when rba rewrote this one). */
    private static Span original(LoadedModel m, SpanScore s) {
        return BlockNumbering.of(m).toOriginal(s.asSpan());
    }

    /** The span's label; in a model rba rewrote, in original numbers, naming the replaced spans it holds. */
    private static String label(LoadedModel m, SpanScore s) {
        if (!m.renumbered()) return s.label();
        BlockNumbering n = BlockNumbering.of(m);
        StringBuilder replaced = new StringBuilder();
        for (int k = s.firstBlock(); k <= s.lastBlock(); k++) {
            if (n.replaced(k)) replaced.append(replaced.isEmpty() ? ", holds replaced " : " and ").append(n.toOriginal(new Span(k, k)).text());
        }
        return n.label(s.asSpan()) + replaced;
    }

    static void printText(PrintWriter out, LoadedModel m, CalibrationResult r, RedundancyReport a, int top, Map<String, Object> files) {
        out.printf(Locale.ROOT, "model %s: %d blocks, h_0..h_%d, d=%d, %s tokens%n", m.path().getFileName(), a.blocks(),
                a.blocks(), m.d(), Tables.dim(m.tokens()));
        if (m.renumbered()) {
            Tables.line(out, "rewritten by rba: spans below are numbered as in the original model's "
                    + m.originalBlockCount() + " blocks (as --replace takes them); similarity matrices index this "
                    + "model's h_0..h_" + a.blocks());
        }
        Tables.line(out, String.format(Locale.ROOT, "calibration: %d samples, %d token rows; BR on the %s token (%s); similarity on %s tokens",
                a.samples(), a.rows(), a.summaryToken(), r.summaryToken().reason(), r.similarityTokens().name().toLowerCase(Locale.ROOT)));
        Tables.line(out, "padding mask: " + m.maskNote());
        Tables.line(out, String.format(Locale.ROOT, "time (backend %s): %s", r.backend(), r.timings()));
        if (!a.spans().isEmpty()) {
            out.println();
            out.println("Most redundant spans (BR closer to 0 = more redundant; span i-j maps h_i to h_{j+1}):");
            Tables t = new Tables("rank", "span", "blocks", "BR", "cos(" + a.summaryToken() + ")", "rel. change (" + changeRows(r) + ")");
            for (int i = 0; i < Math.min(top, a.spans().size()); i++) {
                SpanScore s = a.spans().get(i);
                t.row(i + 1, original(m, s).text(), label(m, s), num(s.br()), num(s.summaryCosine()), num(s.relativeChange()));
            }
            t.print(out);
            out.println();
            out.println("Best span of each length:");
            Tables b = new Tables("length", "span", "blocks", "BR");
            for (SpanScore s : a.bestPerLength()) b.row(s.length(), original(m, s).text(), label(m, s), num(s.br()));
            b.print(out);
        }
        List<SimilarityTable> sims = new ArrayList<>();
        for (SimilarityTable st : a.matrices()) if (!st.metric().equals("br")) sims.add(st);
        if (!sims.isEmpty()) {
            out.println();
            out.println("Similarity of neighbouring streams h_k vs h_{k+1}, one block each (all pairs: --report, --heatmap):");
            List<String> header = new ArrayList<>(List.of("block", "h_k → h_{k+1}"));
            for (SimilarityTable st : sims) header.add(st.metric() + "(" + st.tokens() + ")");
            Tables t = new Tables(header.toArray(String[]::new));
            for (int k = 0; k < a.blocks(); k++) {
                List<Object> row = new ArrayList<>(List.of(k, "h_" + k + " → h_" + (k + 1)));
                for (SimilarityTable st : sims) row.add(num(st.values()[k][k + 1]));
                t.row(row.toArray());
            }
            t.print(out);
            out.printf(Locale.ROOT, "first vs last (h_0 vs h_%d):", a.blocks());
            for (SimilarityTable st : sims) out.printf(Locale.ROOT, "  %s %s", st.metric(), num(st.values()[0][a.blocks()]));
            out.println();
        }
        if (!files.isEmpty()) {
            out.println();
            for (Map.Entry<String, Object> e : files.entrySet()) Tables.line(out, "wrote " + e.getKey() + ": " + e.getValue());
        }
    }

    static String num(double x) {
        if (Double.isNaN(x)) return "n/a";
        double ax = Math.abs(x);
        if (ax != 0 && (ax >= 1e5 || ax < 1e-3)) return String.format(Locale.ROOT, "%.3e", x);
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /** Writes text to a temporary file beside the target and renames it, so no half-written report is left. */
    static void writeAtomically(Path target, String text) throws IOException {
        try (OutputFile file = OutputFile.create(target, "--report")) {
            file.channel().write(StandardCharsets.UTF_8.encode(text + "\n"));
            file.commit();
        }
    }
}
