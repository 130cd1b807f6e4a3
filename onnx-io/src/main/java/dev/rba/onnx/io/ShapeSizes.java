package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes that no memory holds, found on the protobuf: a declared tensor type (graph input, output, value_info) and a
 * constant shape operand (Reshape's target, Expand's shape, ConstantOfShape's shape, Tile's repeats) whose element
 * count exceeds {@value #MAX_ELEMENTS}. Such a model can never run, and ONNX Runtime's shape inference can spend
 * minutes and gigabytes on one before giving up (a Reshape to [2^63-1] elements whose shape then feeds an Expand
 * grows an output of that rank one dimension at a time), so rba refuses it first, naming the node or value.
 */
final class ShapeSizes {
    /** 2^40 elements: a terabyte even of 1-byte elements, beyond any machine rba runs on. */
    static final long MAX_ELEMENTS = 1L << 40;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Operators whose input at the given index is a shape (or repeats) of the output, and that index. */
    private static final Map<String, Integer> SHAPE_OPERAND = Map.of("Reshape", 1, "Expand", 1, "ConstantOfShape", 0, "Tile", 1);

    private ShapeSizes() {
    }

    /** The problem with a declared type, or null: more elements in its known dims than {@link #MAX_ELEMENTS}. */
    static String declared(TypeProto type, String where) {
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) return null;
        long n = 1;
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        for (TensorShapeProto.Dimension d : dims) {
            if (d.hasDimValue() && d.getDimValue() > 0) n = saturatingProduct(n, d.getDimValue());
        }
        return n > MAX_ELEMENTS ? where + " declares a shape of " + describe(n) + ", more than any memory holds" : null;
    }

    /** The first problem with a constant shape operand in {@code g} (not its subgraphs), or null. */
    static String constantOperands(GraphProto g) {
        Map<String, TensorProto> constants = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) constants.put(t.getName(), t);
        for (NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Constant") || n.getOutputCount() != 1) continue;
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) constants.put(n.getOutput(0), a.getT());
                if (a.getName().equals("value_ints")) {
                    constants.put(n.getOutput(0), TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64.getNumber())
                            .addDims(a.getIntsCount()).addAllInt64Data(a.getIntsList()).build());
                }
            }
        }
        for (NodeProto n : g.getNodeList()) {
            Integer index = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? SHAPE_OPERAND.get(n.getOpType()) : null;
            if (index == null || n.getInputCount() <= index) continue;
            TensorProto shape = constants.get(n.getInput(index));
            if (shape == null || shape.getDataType() != TensorProto.DataType.INT64.getNumber() || TensorShapes.isExternal(shape)) {
                continue;
            }
            long n2 = 1;
            MemorySegment values = InlineTensorData.bytesOf(shape);
            for (long i = 0; i < values.byteSize() / 8; i++) {
                long v = values.getAtIndex(I64, i);
                if (v > 0) n2 = saturatingProduct(n2, v);
            }
            if (n2 > MAX_ELEMENTS) {
                return "node '" + n.getName() + "' (" + n.getOpType() + "): its shape input '" + n.getInput(index)
                        + "' asks for " + describe(n2) + ", more than any memory holds";
            }
        }
        return null;
    }

    private static String describe(long n) {
        return n == Long.MAX_VALUE ? "at least 2^63-1 elements" : n + " elements";
    }

    private static long saturatingProduct(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }
}
