package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;

import java.util.ArrayList;
import java.util.List;

/** Small helpers over ONNX tensor types: element types, shapes with symbolic dimensions. */
public final class Types {
    private Types() {
    }

    /** A dimension that is not a known number: its symbolic name (dim_param), or "?" when it has none. */
    public static final long UNKNOWN = -1;

    public static TypeProto ofTensor(TensorProto t) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return tensor(t.getDataType(), shape.build());
    }

    public static TypeProto tensor(int elemType, TensorShapeProto shape) {
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (shape != null) tt.setShape(shape);
        return TypeProto.newBuilder().setTensorType(tt).build();
    }

    /** A shape from dims: a Long is a fixed size, a String a symbolic dimension, null an unknown one. */
    public static TensorShapeProto shape(Object... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) db.setDimValue(n.longValue());
            else if (d instanceof String s) db.setDimParam(s);
            b.addDim(db);
        }
        return b.build();
    }

    /** The element type of a tensor type, or 0 (UNDEFINED) when the type is missing or not a tensor. */
    public static int elemType(TypeProto type) {
        return type != null && type.hasTensorType() ? type.getTensorType().getElemType() : 0;
    }

    /** Dimensions of a tensor type: numbers, {@link #UNKNOWN} for symbolic or unknown ones; null when the rank is unknown. */
    public static long[] dims(TypeProto type) {
        if (type == null || !type.hasTensorType() || !type.getTensorType().hasShape()) return null;
        List<TensorShapeProto.Dimension> ds = type.getTensorType().getShape().getDimList();
        long[] out = new long[ds.size()];
        for (int i = 0; i < out.length; i++) out[i] = ds.get(i).hasDimValue() ? ds.get(i).getDimValue() : UNKNOWN;
        return out;
    }

    /** Human-readable shape such as [batch,50,64]. */
    public static String describe(TypeProto type) {
        if (type == null || !type.hasTensorType()) return "?";
        if (!type.getTensorType().hasShape()) return dtypeName(elemType(type)) + "[?]";
        List<String> parts = new ArrayList<>();
        for (TensorShapeProto.Dimension d : type.getTensorType().getShape().getDimList()) {
            parts.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return dtypeName(elemType(type)) + "[" + String.join(",", parts) + "]";
    }

    public static String dtypeName(int elemType) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(elemType);
        return dt == null ? "dtype" + elemType : dt.name().toLowerCase(java.util.Locale.ROOT);
    }
}
