package dev.rba.core.approx;

import dev.rba.core.Json;
import dev.rba.core.fit.FitResult;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an approximated model records about itself in {@code metadata_props["rba.approximation"]}: one JSON object
 * with the spans (blocks and h indices, tensors, fit residual, condition number, ridge, warnings), the translator,
 * the calibration samples, the source model file and its SHA-256, parameters before and after, the rba version and
 * the date. Enough to tell later where a model came from and to redo it.
 */
public final class ApproximationRecord {
    /** The metadata key. */
    public static final String KEY = "rba.approximation";
    /** Bumped when fields change meaning. */
    public static final int FORMAT = 1;

    private ApproximationRecord() {
    }

    /**
     * @param numbering      block numbers of the model approximated; spans are recorded in original numbers
     * @param earlierRecord  the record the model already had (it was rewritten by rba before), or null: its spans that
     *                       the new ones leave alone are carried over, with the tensors that now bound them
     */
    @SuppressWarnings("unchecked")
    static String json(Approximation a, List<String> boundaryNames, BlockNumbering numbering, String earlierRecord,
                       String sourceFile, String sourceSha256, String data, HeldOutScore original,
                       HeldOutScore approximated) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", FORMAT);
        r.put("rba_version", version());
        r.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        r.put("source_model", Map.of("file", sourceFile, "sha256", sourceSha256));
        r.put("translator", a.method().label());
        r.put("fit_activations", a.sequential() ? "sequential" : "original");
        List<Object> spans = new ArrayList<>();
        long samples = 0;
        for (int k = 0; k < a.fits().size(); k++) {
            SpanFit f = a.fits().get(k);
            FitResult fit = f.fit();
            Map<String, Object> s = new LinkedHashMap<>();
            Span user = numbering.toOriginal(f.span());
            s.put("blocks", List.of(user.first(), user.last()));
            s.put("h_in", user.inputBoundary());
            s.put("h_out", user.outputBoundary());
            s.put("h_in_tensor", boundaryNames.get(f.span().inputBoundary()));
            s.put("h_out_tensor", boundaryNames.get(f.span().outputBoundary()));
            s.put("replacement_tensor", a.replacementTensors().get(k));
            s.put("method", fit.method());
            s.put("bias", fit.bias() != null);
            s.put("fit_samples", f.fitSamples());
            s.put("fit_rows", f.fitRows());
            s.put("relative_residual", fit.relativeResidual());
            s.put("condition_number", fit.conditionNumber());
            s.put("ridge", fit.ridgeLambda());
            s.put("warnings", fit.warnings());
            spans.add(s);
            samples = Math.max(samples, f.fitSamples());
        }
        spans.addAll(earlierSpans(a, numbering));
        spans.sort(java.util.Comparator.comparingInt(o -> ((List<Integer>) ((Map<String, Object>) o).get("blocks")).getFirst()));
        r.put("samples", samples);
        r.put("data", data);
        r.put("spans", spans);
        if (earlierRecord != null) r.put("earlier_record", earlierRecord);
        r.put("blocks_removed", a.blocksRemoved());
        r.put("parameters_before", a.parametersBefore());
        r.put("parameters_after", a.parametersAfter());
        if (original != null && approximated != null) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("samples", approximated.samples());
            check.put("quality", approximated.measure().label());
            check.put("drop", approximated.drop());
            check.put("drop_interval", List.of(approximated.dropInterval().low(), approximated.dropInterval().high()));
            check.put("original_accuracy", original.accuracy());
            check.put("accuracy", approximated.accuracy());
            check.put("agreement", approximated.agreement());
            check.put("cosine", approximated.cosine());
            r.put("held_out_check", check);
        }
        return Json.compact(r);
    }

    /** Spans replaced by an earlier run that this one keeps: blocks of the model that stand for replaced spans. */
    private static List<Object> earlierSpans(Approximation a, BlockNumbering numbering) {
        List<Object> out = new ArrayList<>();
        List<String> now = a.rewritten().boundaryNames();
        for (int k = 0; k + 1 < now.size(); k++) {
            if (!numbering.replaced(k) || now.get(k) == null || now.get(k + 1) == null) continue;
            boolean covered = false;
            for (SpanFit f : a.fits()) covered |= f.span().first() <= k && k <= f.span().last();
            if (covered) continue;
            Span user = numbering.toOriginal(new Span(k, k));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("blocks", List.of(user.first(), user.last()));
            s.put("h_in", user.inputBoundary());
            s.put("h_out", user.outputBoundary());
            s.put("h_in_tensor", now.get(k));
            s.put("replacement_tensor", now.get(k + 1));
            s.put("earlier", true);
            out.add(s);
        }
        return out;
    }

    /** The rba version from the jar manifest, or "development build". */
    public static String version() {
        String v = ApproximationRecord.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
