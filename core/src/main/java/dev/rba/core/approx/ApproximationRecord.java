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

    static String json(Approximation a, List<String> boundaryNames, String sourceFile, String sourceSha256,
                       String data, HeldOutScore original, HeldOutScore approximated) {
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
            s.put("blocks", List.of(f.span().first(), f.span().last()));
            s.put("h_in", f.span().inputBoundary());
            s.put("h_out", f.span().outputBoundary());
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
        r.put("samples", samples);
        r.put("data", data);
        r.put("spans", spans);
        r.put("blocks_removed", a.blocksRemoved());
        r.put("parameters_before", a.parametersBefore());
        r.put("parameters_after", a.parametersAfter());
        if (original != null && approximated != null) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("samples", approximated.samples());
            check.put("original_accuracy", original.accuracy());
            check.put("accuracy", approximated.accuracy());
            check.put("agreement", approximated.agreement());
            r.put("held_out_check", check);
        }
        return Json.compact(r);
    }

    /** The rba version from the jar manifest, or "development build". */
    public static String version() {
        String v = ApproximationRecord.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
