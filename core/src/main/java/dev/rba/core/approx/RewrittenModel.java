package dev.rba.core.approx;

import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.rewrite.RewriteReport;
import dev.rba.onnx.rewrite.SpanReplacement;
import dev.rba.onnx.rewrite.SpanRewriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original model with fitted spans spliced in, held in memory: a fresh parse of the original each time (the
 * rewriter edits in place), so candidates never share state. {@code boundaryNames} are the tensors that now carry
 * h_0..h_L: a replaced span's h_{j+1} is the span's MatMul (or Add) output; boundaries inside a span are gone (null).
 */
record RewrittenModel(ModelProto proto, RewriteReport report, List<String> boundaryNames) {

    static RewrittenModel build(OnnxLoadedModel model, List<SpanFit> fits, Map<String, String> metadata) {
        OnnxModel m = OnnxModel.fromProto(model.file().proto());
        Graph g = m.graph();
        List<String> names = new ArrayList<>(model.boundaryNames());
        List<SpanReplacement> replacements = new ArrayList<>();
        for (SpanFit f : fits) {
            Span s = f.span();
            Value from = find(g, names.get(s.inputBoundary()), "h_" + s.inputBoundary());
            Value to = find(g, names.get(s.outputBoundary()), "h_" + s.outputBoundary());
            replacements.add(new SpanReplacement(from, to, toFloats(f.fit().t()),
                    f.fit().bias() == null ? null : toFloats(f.fit().bias()), s.label()));
        }
        RewriteReport report = SpanRewriter.rewrite(m, replacements);
        for (int k = 0; k < fits.size(); k++) {
            Span s = fits.get(k).span();
            for (int b = s.inputBoundary() + 1; b < s.outputBoundary(); b++) names.set(b, null);
            names.set(s.outputBoundary(), report.replacements().get(k));
        }
        if (metadata != null) metadata.forEach(m::putMetadata);
        return new RewrittenModel(m.toProto(), report, java.util.Collections.unmodifiableList(names));
    }

    private static Value find(Graph g, String name, String what) {
        Value v = g.findValue(name);
        if (v == null) throw new IllegalStateException(what + " ('" + name + "') is missing from a fresh parse of the model");
        return v;
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
