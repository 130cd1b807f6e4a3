package dev.rba.cli;

import dev.rba.core.eval.Agreement;
import dev.rba.core.eval.ComparisonRow;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.MachineInfo;
import dev.rba.core.eval.LatencyStats;
import dev.rba.core.eval.ModelEvaluation;
import dev.rba.core.eval.ModelSize;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvaluationReport} as the side-by-side text table or as JSON. */
final class EvaluationText {
    private EvaluationText() {
    }

    static void print(PrintWriter out, EvaluationReport r) {
        ModelEvaluation m = r.model();
        ModelEvaluation b = r.baseline();
        // a two-column table whose values (paths, the data's description) wrap within 100 columns
        Tables.paragraph(out, "model     ", m.size().path().toString());
        if (b != null) Tables.paragraph(out, "baseline  ", b.size().path().toString());
        Tables.paragraph(out, "data      ", r.data() + " (" + m.samples() + " evaluated)");
        Tables.paragraph(out, "machine   ", machine(r.machine()));
        out.println();
        if (b != null) {
            Tables t = new Tables("metric", "baseline", "model", "change");
            for (ComparisonRow row : r.table()) t.row(row.metric(), row.baseline(), row.model(), row.change());
            t.print(out);
        } else {
            Tables t = new Tables("metric", "model");
            for (ComparisonRow row : r.table()) t.row(row.metric(), row.model());
            t.print(out);
        }
        out.println();
        if (!m.hasLabels()) {
            Tables.line(out, b != null ? "accuracy: not available, the data has no labels; the agreement with the baseline above says how close the model is"
                    : "accuracy: not available, the data has no labels; give --baseline ORIGINAL.onnx to see agreement with it");
        }
        if (!Double.isNaN(r.latencyRatio())) {
            out.println(String.format(Locale.ROOT, "latency ratio (model / baseline, median): %.3f", r.latencyRatio()));
        }
        for (String note : r.notes()) Tables.paragraph(out, "note: ", note);
    }

    static String machine(MachineInfo mi) {
        return mi.cpu() + ", " + mi.logicalCores() + " logical cores, ONNX Runtime " + mi.ortVersion() + " (" + mi.provider() + "), "
                + (mi.ortThreads() > 0 ? mi.ortThreads() + " intra-op threads" : "ORT default threads (" + mi.effectiveOrtThreads() + ")")
                + (mi.loadAverage() >= 0 ? String.format(Locale.ROOT, ", load average %.1f", mi.loadAverage()) : "");
    }

    /**
     * evaluate --json: the report under the keys scripts read (Json writes a record's components in order, in
     * snake_case), plus where the command's time went.
     */
    public record JsonReport(ModelJson model, ModelJson baseline, AgreementJson agreement, double latencyRatio, String data,
                             MachineJson machine, List<RowJson> table, List<String> notes, Map<String, Double> timingsS) {
        static JsonReport of(EvaluationReport r, Map<String, Double> timings) {
            return new JsonReport(ModelJson.of(r.model()), r.baseline() == null ? null : ModelJson.of(r.baseline()),
                    r.agreement() == null ? null : AgreementJson.of(r.agreement()), r.latencyRatio(), r.data(),
                    MachineJson.of(r.machine()), r.table().stream().map(RowJson::of).toList(), r.notes(), timings);
        }
    }

    /** One model's results; {@code correct} is null without labels, {@code latency} null when not timed. */
    public record ModelJson(String path, String output, List<Long> outputShape, int samples, boolean hasLabels, Integer correct,
                            double accuracy, long parameters, long initializerElements, long macsPerSample,
                            String macsShapeSource, long fileBytes, LatencyStats latency) {
        static ModelJson of(ModelEvaluation e) {
            ModelSize size = e.size();
            return new ModelJson(size.path().toString(), e.output(), e.outputShape(), e.samples(), e.hasLabels(),
                    e.hasLabels() ? e.correct() : null, e.accuracy(), size.parameters(), size.initializerElements(),
                    size.macsPerSample(), size.macsSource(), size.fileBytes(), e.latency());
        }
    }

    /** {@link Agreement} with its top-1 fraction. */
    public record AgreementJson(int samples, int sameTop1, double top1Agreement, double meanCosine, double minCosine,
                                double maxAbsDiff) {
        static AgreementJson of(Agreement a) {
            return new AgreementJson(a.samples(), a.sameTop1(), a.top1Agreement(), a.meanCosine(), a.minCosine(), a.maxAbsDiff());
        }
    }

    /** {@link MachineInfo} with the threads ONNX Runtime ran; {@code loadAverage} null where unknown. */
    public record MachineJson(String cpu, int logicalCores, int ortThreads, int ortThreadsEffective, String provider, String os,
                              String ortVersion, Double loadAverage) {
        static MachineJson of(MachineInfo mi) {
            return new MachineJson(mi.cpu(), mi.logicalCores(), mi.ortThreads(), mi.effectiveOrtThreads(), mi.provider(), mi.os(),
                    mi.ortVersion(), mi.loadAverage() < 0 ? null : mi.loadAverage());
        }
    }

    /** A table row's raw numbers (NaN, written as null, where there is none) and its change as printed. */
    public record RowJson(String metric, double baseline, double model, String change) {
        static RowJson of(ComparisonRow row) {
            return new RowJson(row.metric(), row.baselineValue(), row.modelValue(), row.change());
        }
    }
}
