package dev.rba.core.approx;

import dev.rba.core.fit.FitMethod;
import dev.rba.onnx.proto.OnnxProto.ModelProto;

import java.util.ArrayList;
import java.util.List;

/**
 * A model with spans replaced by fitted maps, held in memory until {@link Approximator#save} writes it. Parameter
 * counts are elements of the graph's initializers (the weights), before and after the rewrite.
 */
public final class Approximation {
    private final RewrittenModel rewritten;
    private final List<SpanFit> fits;
    private final FitMethod method;
    private final boolean sequential;

    Approximation(RewrittenModel rewritten, List<SpanFit> fits, FitMethod method, boolean sequential) {
        this.rewritten = rewritten;
        this.fits = List.copyOf(fits);
        this.method = method;
        this.sequential = sequential;
    }

    public List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (SpanFit f : fits) out.add(f.span());
        return out;
    }

    public List<SpanFit> fits() {
        return fits;
    }

    public FitMethod method() {
        return method;
    }

    public boolean sequential() {
        return sequential;
    }

    public int blocksRemoved() {
        return Span.totalBlocks(spans());
    }

    public long parametersBefore() {
        return rewritten.report().parametersBefore();
    }

    public long parametersAfter() {
        return rewritten.report().parametersAfter();
    }

    /** Weights that became dead with the replaced blocks. */
    public long parametersRemoved() {
        return rewritten.report().parametersRemoved();
    }

    /** Elements of the new T (and bias) tensors. */
    public long parametersAdded() {
        return rewritten.report().parametersAdded();
    }

    /** Per span, the tensor that now carries h_{j+1}. */
    public List<String> replacementTensors() {
        return rewritten.report().replacements();
    }

    /** Nodes of the replaced spans something outside them still reads (0 when the blocks went entirely). */
    public int spanNodesKept() {
        return rewritten.report().spanNodesKept();
    }

    ModelProto proto() {
        return rewritten.proto();
    }

    RewrittenModel rewritten() {
        return rewritten;
    }
}
