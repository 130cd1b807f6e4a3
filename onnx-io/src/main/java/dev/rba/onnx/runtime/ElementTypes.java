package dev.rba.onnx.runtime;

import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The element type of a value whose type the file does not declare (exports often carry no value_info). It walks
 * back through producers: the residual stream of a transformer is built from float initializers and float inputs
 * by ops that keep their first float input's type, so the first declared floating-point type found upstream is the
 * answer, except where a Cast or CastLike sets it explicitly.
 */
public final class ElementTypes {
    private ElementTypes() {
    }

    /** The value's element type code (TensorProto.DataType), or 0 when nothing upstream declares one. */
    public static int of(Value value) {
        return find(value, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static int find(Value v, Set<Value> seen) {
        if (v == null || !seen.add(v)) return 0;
        int declared = Types.elemType(v.type());
        if (declared != 0) return declared;
        Node p = v.producer();
        if (p == null) return 0;
        if (p.isStandardOp("Cast")) return (int) p.intAttribute("to", 0);
        if (p.isStandardOp("CastLike")) return find(p.input(1), seen);
        if (p.isStandardOp("Shape") || p.isStandardOp("Size") || p.isStandardOp("ArgMax") || p.isStandardOp("ArgMin")
                || p.isStandardOp("NonZero")) {
            return TensorProto.DataType.INT64_VALUE;
        }
        // the first floating-point input decides: Gather(table, ids) and Add(float, float) alike
        int fallback = 0;
        for (Value in : p.inputs()) {
            int t = find(in, seen);
            if (isFloating(t)) return t;
            if (fallback == 0) fallback = t;
        }
        return fallback;
    }

    /** float, double, float16, bfloat16. */
    public static boolean isFloating(int elemType) {
        return elemType == TensorProto.DataType.FLOAT_VALUE || elemType == TensorProto.DataType.DOUBLE_VALUE
                || elemType == TensorProto.DataType.FLOAT16_VALUE || elemType == TensorProto.DataType.BFLOAT16_VALUE;
    }
}
