package dev.rba.onnx.rewrite;

import dev.rba.onnx.ir.DeadCodeElimination;
import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.GraphValidator;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.TopologicalSort;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.runtime.ElementTypes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces spans of transformer blocks by one linear map: every consumer of h_{j+1} (and the graph output, when
 * h_{j+1} is one) reads {@code MatMul(h_i, T)} (then {@code Add(bias)}) instead, and the blocks, now unreachable, are
 * removed with their weights by dead-code elimination. Several non-overlapping spans go in one pass; the result is
 * topologically sorted and validated. T and bias are stored in h_i's element type (float32, float64, float16 or
 * bfloat16, rounded to nearest even). The model is edited in place: opset, graph inputs and outputs with their
 * value_info (dynamic axes included) and metadata stay as they were.
 */
public final class SpanRewriter {
    private SpanRewriter() {
    }

    /** Rewrites {@code model} in place; spans must be given in model order and must not overlap. */
    public static RewriteReport rewrite(OnnxModel model, List<SpanReplacement> spans) {
        if (spans.isEmpty()) throw new IllegalArgumentException("no spans to replace");
        Graph g = model.graph();
        Map<Node, Integer> position = positions(g);
        for (SpanReplacement s : spans) checkSpan(g, s);
        checkOrder(spans, position);

        Set<Node> spanNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SpanReplacement s : spans) spanNodes.addAll(nodesBetween(s.from(), s.to()));
        Set<Value> before = identitySet(g.initializers());
        long paramsBefore = count(g.initializers());
        int nodesBefore = g.nodes().size();
        long added = 0;
        List<String> labels = new ArrayList<>();
        Value[] results = new Value[spans.size()];
        // last span first: an adjacent earlier span then rewires the later span's MatMul along with h_{j+1}'s other uses
        for (int k = spans.size() - 1; k >= 0; k--) {
            results[k] = splice(g, spans.get(k));
            added += (long) spans.get(k).d() * spans.get(k).d() + (spans.get(k).bias() == null ? 0 : spans.get(k).d());
        }
        for (SpanReplacement s : spans) labels.add(s.label());

        DeadCodeElimination.run(g);
        TopologicalSort.run(g);
        GraphValidator.check(g);

        long removed = 0;
        Set<Value> after = identitySet(g.initializers());
        for (Value v : before) if (!after.contains(v)) removed += TensorShapes.elementCount(v.initializer());
        int kept = 0;
        for (Node n : g.nodes()) if (spanNodes.contains(n)) kept++;
        int nodesAdded = 0;
        for (SpanReplacement s : spans) nodesAdded += s.bias() == null ? 1 : 2;
        return new RewriteReport(paramsBefore, count(g.initializers()), removed, added,
                nodesBefore + nodesAdded - g.nodes().size(), List.copyOf(labels), Arrays.stream(results).map(Value::name).toList(), kept);
    }

    /** Adds T (and bias) and the MatMul (and Add) for one span, points h_{j+1}'s uses at the result and returns it. */
    private static Value splice(Graph g, SpanReplacement s) {
        int elemType = ElementTypes.of(s.from());
        int d = s.d();
        String base = g.uniqueName("rba_span_" + sanitize(s.to().name()));
        Value t = g.addInitializer(tensor(base + "_T", elemType, new long[] {d, d}, s.t()));
        Node anchor = s.to().producer();
        Node matmul = g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName(base + "_MatMul").build(),
                List.of(s.from(), t), List.of(base + "_matmul"), anchor);
        Value result = matmul.output(0);
        if (s.bias() != null) {
            Value b = g.addInitializer(tensor(base + "_bias", elemType, new long[] {d}, s.bias()));
            Node add = g.addNode(NodeProto.newBuilder().setOpType("Add").setName(base + "_Add").build(),
                    List.of(result, b), List.of(base + "_out"), anchor);
            result = add.output(0);
        }
        TypeProto declared = s.to().type();
        result.setType(declared != null ? declared : Types.tensor(elemType, null));
        g.replaceAllUses(s.to(), result);
        return result;
    }

    private static void checkSpan(Graph g, SpanReplacement s) {
        Value from = s.from();
        Value to = s.to();
        if (from == to) throw new IllegalArgumentException("span " + s.label() + ": h_i and h_{j+1} are the same tensor; a span covers at least one block");
        if (to.producer() == null || to.producer().graph() != g) {
            throw new IllegalArgumentException("span " + s.label() + ": '" + to.name() + "' is not computed by a node of the graph; h_{j+1} must be a block's output");
        }
        if (!dependsOn(to, from)) {
            throw new IllegalArgumentException("span " + s.label() + ": '" + to.name() + "' does not depend on '" + from.name()
                    + "'; give h_i first and h_{j+1} second");
        }
        int fromType = ElementTypes.of(from);
        int toType = ElementTypes.of(to);
        if (!ElementTypes.isFloating(fromType)) {
            throw new IllegalArgumentException("span " + s.label() + ": '" + from.name() + "' has element type " + Types.dtypeName(fromType)
                    + "; T needs a floating-point residual stream");
        }
        if (toType != 0 && toType != fromType) {
            throw new IllegalArgumentException("span " + s.label() + ": '" + from.name() + "' is " + Types.dtypeName(fromType) + " but '"
                    + to.name() + "' is " + Types.dtypeName(toType) + "; a span must keep the residual stream's type");
        }
        checkWidth(s, from);
        checkWidth(s, to);
    }

    private static void checkWidth(SpanReplacement s, Value v) {
        long[] dims = Types.dims(v.type());
        if (dims != null && dims.length > 0 && dims[dims.length - 1] >= 0 && dims[dims.length - 1] != s.d()) {
            throw new IllegalArgumentException("span " + s.label() + ": '" + v.name() + "' has width " + dims[dims.length - 1] + " but T is "
                    + s.d() + "x" + s.d());
        }
    }

    /** Spans in model order, each starting at or after the end of the one before (adjacent spans share a boundary). */
    private static void checkOrder(List<SpanReplacement> spans, Map<Node, Integer> position) {
        for (int k = 1; k < spans.size(); k++) {
            SpanReplacement a = spans.get(k - 1);
            SpanReplacement b = spans.get(k);
            int aFrom = pos(a.from(), position), aTo = pos(a.to(), position);
            int bFrom = pos(b.from(), position), bTo = pos(b.to(), position);
            if (bFrom >= aTo) continue;
            boolean disjoint = bTo <= aFrom;
            if (disjoint) {
                throw new IllegalArgumentException("spans out of order: " + b.label() + " comes before " + a.label()
                        + " in the model; give spans in model order");
            }
            throw new IllegalArgumentException("spans " + a.label() + " and " + b.label() + " overlap; replace non-overlapping spans only");
        }
    }

    /** Nodes on a path from {@code from} to {@code to}: the span's blocks. */
    private static Set<Node> nodesBetween(Value from, Value to) {
        Set<Node> upstreamOfTo = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> work = new ArrayDeque<>(List.of(to));
        Set<Value> seen = identitySet(List.of());
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (v == from || !seen.add(v) || v.producer() == null) continue;
            if (upstreamOfTo.add(v.producer())) for (Value in : v.producer().inputs()) if (in != null) work.push(in);
        }
        Set<Node> between = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> down = new ArrayDeque<>(from.consumers());
        while (!down.isEmpty()) {
            Node n = down.pop();
            if (!upstreamOfTo.contains(n) || !between.add(n)) continue;
            for (Value out : n.outputs()) down.addAll(out.consumers());
        }
        return between;
    }

    private static boolean dependsOn(Value to, Value from) {
        Deque<Value> work = new ArrayDeque<>();
        Set<Value> seen = identitySet(List.of());
        work.push(to);
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (v == from) return true;
            if (!seen.add(v) || v.producer() == null) continue;
            for (Value in : v.producer().inputs()) if (in != null) work.push(in);
        }
        return false;
    }

    private static TensorProto tensor(String name, int elemType, long[] dims, float[] values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(elemType);
        for (long dim : dims) b.addDims(dim);
        b.setRawData(com.google.protobuf.ByteString.copyFrom(TensorEncoding.encode(values, elemType)));
        return b.build();
    }

    private static Map<Node, Integer> positions(Graph g) {
        Map<Node, Integer> m = new IdentityHashMap<>();
        List<Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) m.put(nodes.get(i), i);
        return m;
    }

    private static int pos(Value v, Map<Node, Integer> position) {
        return v.producer() == null ? -1 : position.getOrDefault(v.producer(), -1);
    }

    private static long count(List<Value> initializers) {
        long n = 0;
        for (Value v : initializers) n += TensorShapes.elementCount(v.initializer());
        return n;
    }

    private static Set<Value> identitySet(List<Value> values) {
        Set<Value> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(values);
        return s;
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_.]", "_").replaceAll("^_+", "");
    }
}
