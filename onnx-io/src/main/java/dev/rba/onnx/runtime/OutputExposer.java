package dev.rba.onnx.runtime;

import dev.rba.onnx.ir.DeadCodeElimination;
import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a copy of a model in which chosen internal tensors (the residual stream h_0..h_L) are extra graph outputs,
 * so ONNX Runtime hands them back from the same run that computes the model's own outputs. The copy's value_info for
 * each exposed tensor gets its element type and the shape [batch, tokens, d]: batch as the first input's first
 * dimension (symbolic where the input's is), tokens and d as given. The original model is not changed, and the copy's
 * own outputs come first, in their original order, so the model computes exactly what it computed before.
 */
public final class OutputExposer {
    private OutputExposer() {
    }

    /**
     * Shape of the residual stream: {@code tokens} is a Long (fixed), a String (a symbolic dimension, e.g. the
     * "sequence" dimension of a text model's inputs) or null to take it from a rank-2 token-id input; {@code d} is
     * the hidden width.
     */
    public record ResidualShape(Object tokens, long d) {
        public ResidualShape {
            if (d <= 0) throw new IllegalArgumentException("hidden width d must be positive, got " + d);
            if (tokens != null && !(tokens instanceof Long) && !(tokens instanceof String)) {
                throw new IllegalArgumentException("tokens must be a Long, a String (symbolic dimension) or null, got " + tokens);
            }
        }

        /** A fixed token count, or a negative one for "dynamic" (as block discovery reports it). */
        public static ResidualShape of(long tokens, long d) {
            return new ResidualShape(tokens >= 0 ? Long.valueOf(tokens) : null, d);
        }
    }

    /** The exposed copy and the names of the tensors it exposes, in the order asked. */
    public record ExposedModel(ModelProto proto, List<String> modelOutputs, List<String> exposed) {
    }

    /** Exposes the values of {@code model} (found in the copy by their names, which a valid graph keeps unique). */
    public static ExposedModel expose(OnnxModel model, List<Value> values, ResidualShape shape) {
        List<String> names = new ArrayList<>();
        for (Value v : values) names.add(v.name());
        return expose(model.toProto(), names, shape);
    }

    /** Exposes the named tensors of {@code original}; an unknown name is an IllegalArgumentException naming it. */
    public static ExposedModel expose(ModelProto original, List<String> tensorNames, ResidualShape shape) {
        OnnxModel copy = OnnxModel.fromProto(original);
        Graph g = copy.graph();
        List<String> modelOutputs = new ArrayList<>();
        for (Value o : g.outputs()) modelOutputs.add(o.name());
        if (g.inputs().isEmpty()) throw new IllegalArgumentException("model has no graph inputs; nothing to run it on");
        for (String name : tensorNames) {
            Value v = g.findValue(name);
            if (v == null) {
                throw new IllegalArgumentException("tensor '" + name + "' is not in the model; give the name of a value of graph '" + g.name() + "'");
            }
            if (v.isInitializer()) {
                throw new IllegalArgumentException("tensor '" + name + "' is a constant initializer, not an activation; give a residual-stream tensor");
            }
            if (g.isGraphOutput(v)) continue;              // already an output: ORT returns it as it is
            v.setType(typeFor(g, v, shape));
            g.addOutput(v);
        }
        return new ExposedModel(copy.toProto(), List.copyOf(modelOutputs), List.copyOf(tensorNames));
    }

    /**
     * A copy of {@code original} that computes only the named tensors: they are its only outputs (typed as
     * {@link #expose} types them) and every node and initializer they do not depend on is removed; the inputs stay,
     * used or not. A run to h_0 then costs the embedding, not the whole model, and its session holds only the
     * embedding's weights (for a ViT-B, a few MB of 346). An unknown name is an IllegalArgumentException naming it.
     */
    public static ModelProto prefix(ModelProto original, List<String> tensorNames, ResidualShape shape) {
        OnnxModel copy = OnnxModel.fromProto(expose(original, tensorNames, shape).proto());
        Graph g = copy.graph();
        List<Value> keep = new ArrayList<>();
        for (String name : tensorNames) keep.add(g.findValue(name));
        for (Value o : List.copyOf(g.outputs())) if (!keep.contains(o)) g.removeOutput(o);
        DeadCodeElimination.run(g);
        return copy.toProto();
    }

    /** The declared type when it has a full shape, otherwise element type + [batch, tokens, d]. */
    private static TypeProto typeFor(Graph g, Value v, ResidualShape shape) {
        TypeProto declared = v.type();
        if (declared != null && declared.hasTensorType() && declared.getTensorType().hasShape() && Types.elemType(declared) != 0) {
            return declared;
        }
        int elemType = ElementTypes.of(v);
        if (elemType == 0) {
            throw new IllegalArgumentException("cannot tell the element type of tensor '" + v.name() + "': nothing upstream declares one");
        }
        TensorShapeProto.Dimension batch = firstInputDim(g, 0);
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDim(batch != null ? batch : TensorShapeProto.Dimension.newBuilder().setDimParam("batch").build());
        s.addDim(tokensDim(g, v, shape));
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape.d()));
        return Types.tensor(elemType, s.build());
    }

    private static TensorShapeProto.Dimension tokensDim(Graph g, Value v, ResidualShape shape) {
        if (shape.tokens() instanceof Long n) return TensorShapeProto.Dimension.newBuilder().setDimValue(n).build();
        if (shape.tokens() instanceof String sym) return TensorShapeProto.Dimension.newBuilder().setDimParam(sym).build();
        long[] dims = Types.dims(g.inputs().get(0).type());
        if (dims != null && dims.length == 2) {
            // a text model's token ids [batch, sequence]: the residual stream has one row per id
            return firstInputDim(g, 1);
        }
        throw new IllegalArgumentException("token count of tensor '" + v.name() + "' is unknown (the model's first input is "
                + Types.describe(g.inputs().get(0).type()) + "); give ResidualShape tokens");
    }

    private static TensorShapeProto.Dimension firstInputDim(Graph g, int axis) {
        TypeProto t = g.inputs().get(0).type();
        if (t == null || !t.hasTensorType() || !t.getTensorType().hasShape()) return null;
        List<TensorShapeProto.Dimension> dims = t.getTensorType().getShape().getDimList();
        if (axis >= dims.size()) return null;
        TensorShapeProto.Dimension d = dims.get(axis);
        return d.hasDimValue() || d.hasDimParam() ? d.toBuilder().clearDenotation().build() : null;
    }
}
