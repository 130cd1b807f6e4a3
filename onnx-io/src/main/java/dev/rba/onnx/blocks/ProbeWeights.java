package dev.rba.onnx.blocks;

import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the weights out of the model the shape probe runs: large floating-point initializers become graph inputs,
 * which the probe feeds with zeros. Shapes do not depend on weight values, but a session over the whole model
 * serialises, parses, copies and pre-packs every weight (for a ViT-B, 346 MB, as long as the calibration session
 * itself); without them the probe's session holds the graph and the small constants, and a model with external data
 * is probed without reading its data files.
 *
 * <p>This is exact only where no shape depends on values computed from a weight. So values are followed forward from
 * every moved weight (through every node, except {@code Shape} and {@code Size}, whose outputs depend on shapes
 * alone); if such a value reaches an input whose value may set an output's shape (a {@code Reshape}'s shape, a
 * {@code Range}'s limits, anything of an operator not listed here, a subgraph), nothing is moved and the probe runs
 * the model as it is. Small initializers (under {@value #MIN_ELEMENTS} elements: shape constants, scales, class
 * tokens) and integer ones always stay.
 */
final class ProbeWeights {
    /** Initializers with fewer elements stay in the probed model. */
    static final long MIN_ELEMENTS = 1024;
    /** The zero buffer all moved weights share is at most this big; larger weights stay (their zeros would cost as much). */
    static final long MAX_BYTES = 256L << 20;

    /** Operators (default domain) none of whose inputs' values set an output's shape. */
    private static final Set<String> VALUES_ONLY = Set.of(
            "Abs", "Add", "And", "ArgMax", "ArgMin", "AveragePool", "BatchNormalization", "Cast", "CastLike", "Ceil",
            "Celu", "Clip", "Concat", "Conv", "ConvTranspose", "Cos", "Cosh", "Div", "Dropout", "Einsum", "Elu", "Equal",
            "Erf", "Exp", "Flatten", "Floor", "Gelu", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Greater",
            "GreaterOrEqual", "GroupNormalization", "HardSigmoid", "HardSwish", "Identity", "InstanceNormalization",
            "IsInf", "IsNaN", "LayerNormalization", "LeakyRelu", "Less", "LessOrEqual", "Log", "LogSoftmax", "MatMul",
            "Max", "MaxPool", "Mean", "Min", "Mish", "Mod", "Mul", "Neg", "Not", "Or", "PRelu", "Pow", "Reciprocal",
            "Relu", "Round", "Selu", "Sigmoid", "Sign", "Sin", "Sinh", "Softmax", "Softplus", "Softsign", "Sqrt", "Sub",
            "Sum", "Tan", "Tanh", "Transpose", "Where", "Xor");
    /** Operators whose first input is data and whose other inputs (shape, axes, pads, k, ...) may set the shape. */
    private static final Set<String> FIRST_INPUT_ONLY = Set.of(
            "CumSum", "Expand", "Gather", "GatherElements", "Pad", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceMax",
            "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Reshape", "Resize", "Slice",
            "Split", "Squeeze", "Tile", "TopK", "Unsqueeze");
    /** Operators whose outputs depend on their inputs' shapes only. */
    private static final Set<String> SHAPE_ONLY = Set.of("Shape", "Size");

    private ProbeWeights() {
    }

    /**
     * Moves the weights of {@code g} to its inputs when that cannot change a shape (see the class comment) and
     * returns them by name (type and dims only are read); an empty map when nothing was moved.
     */
    static Map<String, TensorProto> moveToInputs(GraphProto.Builder g) {
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto o : g.getOutputList()) outputs.add(o.getName());
        Map<String, TensorProto> moved = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (isFloating(t) && TensorShapes.elementCount(t) >= MIN_ELEMENTS && !outputs.contains(t.getName())
                    && TensorShapes.rawByteSize(t) <= MAX_BYTES) {
                moved.put(t.getName(), t);
            }
        }
        if (moved.isEmpty() || !shapesIgnore(g.getNodeList(), moved.keySet())) return Map.of();
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            if (moved.containsKey(g.getInitializer(i).getName())) g.removeInitializer(i);
        }
        Set<String> declared = new HashSet<>();
        for (ValueInfoProto.Builder in : g.getInputBuilderList()) {
            TensorProto t = moved.get(in.getName());
            if (t != null) {   // old exporters list initializers as inputs too
                in.setType(typeOf(t));
                declared.add(in.getName());
            }
        }
        for (TensorProto t : moved.values()) {
            if (!declared.contains(t.getName())) g.addInput(ValueInfoProto.newBuilder().setName(t.getName()).setType(typeOf(t)));
        }
        return moved;
    }

    /** Whether no value computed from {@code weights} reaches an input that may set a shape (nodes in graph order). */
    static boolean shapesIgnore(List<NodeProto> nodes, Set<String> weights) {
        Set<String> fromWeights = new HashSet<>(weights);
        for (NodeProto n : nodes) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) return false;   // a subgraph may read any value by name
            }
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            boolean reached = false;
            for (int i = 0; i < n.getInputCount(); i++) {
                if (!fromWeights.contains(n.getInput(i))) continue;
                reached = true;
                if (!standard) return false;
                String op = n.getOpType();
                boolean valuesOnly = VALUES_ONLY.contains(op) || SHAPE_ONLY.contains(op)
                        || (FIRST_INPUT_ONLY.contains(op) && i == 0);
                if (!valuesOnly) return false;
            }
            if (reached && !(standard && SHAPE_ONLY.contains(n.getOpType()))) fromWeights.addAll(n.getOutputList());
        }
        return true;
    }

    private static boolean isFloating(TensorProto t) {
        int dt = t.getDataType();
        return dt == TensorProto.DataType.FLOAT_VALUE || dt == TensorProto.DataType.FLOAT16_VALUE
                || dt == TensorProto.DataType.BFLOAT16_VALUE || dt == TensorProto.DataType.DOUBLE_VALUE;
    }

    private static dev.rba.onnx.proto.OnnxProto.TypeProto typeOf(TensorProto t) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Types.tensor(t.getDataType(), shape.build());
    }
}
