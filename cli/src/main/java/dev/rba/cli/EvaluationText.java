package dev.rba.cli;

import dev.rba.core.eval.Agreement;
import dev.rba.core.eval.ComparisonRow;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.MachineInfo;
import dev.rba.core.eval.ModelEvaluation;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        out.println("model     " + m.size().path());
        if (b != null) out.println("baseline  " + b.size().path());
        out.println("data      " + r.data() + " (" + m.samples() + " evaluated)");
        out.println("machine   " + machine(r.machine()));
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
            out.println(b != null ? "accuracy: not available, the data has no labels; the agreement with the baseline above says how close the model is"
                    : "accuracy: not available, the data has no labels; give --baseline ORIGINAL.onnx to see agreement with it");
        }
        if (!Double.isNaN(r.latencyRatio())) {
            out.println(String.format(Locale.ROOT, "latency ratio (model / baseline, median): %.3f", r.latencyRatio()));
        }
        for (String note : r.notes()) out.println("note: " + note);
    }

    static String machine(MachineInfo mi) {
        return mi.cpu() + ", " + mi.logicalCores() + " logical cores, ONNX Runtime " + mi.ortVersion() + " (" + mi.provider() + "), "
                + (mi.ortThreads() > 0 ? mi.ortThreads() + " intra-op threads" : "ORT default threads (" + mi.effectiveOrtThreads() + ")")
                + (mi.loadAverage() >= 0 ? String.format(Locale.ROOT, ", load average %.1f", mi.loadAverage()) : "");
    }

    static Map<String, Object> toJson(EvaluationReport r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model(r.model()));
        j.put("baseline", r.baseline() == null ? null : model(r.baseline()));
        j.put("agreement", r.agreement() == null ? null : agreement(r.agreement()));
        j.put("latency_ratio", r.latencyRatio());
        j.put("data", r.data());
        MachineInfo mi = r.machine();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", mi.cpu());
        machine.put("logical_cores", mi.logicalCores());
        machine.put("ort_threads", mi.ortThreads());
        machine.put("ort_threads_effective", mi.effectiveOrtThreads());
        machine.put("provider", mi.provider());
        machine.put("os", mi.os());
        machine.put("ort_version", mi.ortVersion());
        machine.put("load_average", mi.loadAverage() < 0 ? null : mi.loadAverage());
        j.put("machine", machine);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ComparisonRow row : r.table()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("metric", row.metric());
            e.put("baseline", row.baselineValue());
            e.put("model", row.modelValue());
            e.put("change", row.change());
            rows.add(e);
        }
        j.put("table", rows);
        j.put("notes", r.notes());
        return j;
    }

    private static Map<String, Object> model(ModelEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.size().path().toString());
        m.put("output", e.output());
        m.put("output_shape", e.outputShape());
        m.put("samples", e.samples());
        m.put("has_labels", e.hasLabels());
        m.put("correct", e.hasLabels() ? e.correct() : null);
        m.put("accuracy", e.accuracy());
        m.put("parameters", e.size().parameters());
        m.put("initializer_elements", e.size().initializerElements());
        m.put("macs_per_sample", e.size().macsPerSample());
        m.put("macs_shape_source", e.size().macsSource());
        m.put("file_bytes", e.size().fileBytes());
        m.put("latency", e.latency());   // a LatencyStats record: batch_size, warmup, repeats, median_ms, ...
        return m;
    }

    private static Map<String, Object> agreement(Agreement a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", a.samples());
        m.put("same_top1", a.sameTop1());
        m.put("top1_agreement", a.top1Agreement());
        m.put("mean_cosine", a.meanCosine());
        m.put("min_cosine", a.minCosine());
        m.put("max_abs_diff", a.maxAbsDiff());
        return m;
    }
}
