package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.util.Arrays;

/** Element counts (shapes, TensorProtos) and TensorProto byte sizes, checked against overflow and negative dims. */
public final class TensorShapes {
    private TensorShapes() {
    }

    /** Number of elements of a shape: the product of its dims (1 for a scalar); a negative dim is an error. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Number of elements: the product of dims (1 for a scalar, which has no dims). */
    public static long elementCount(TensorProto tensor) {
        long n = 1;
        for (int i = 0; i < tensor.getDimsCount(); i++) {
            long d = tensor.getDims(i);
            if (d < 0) {
                throw new OnnxFormatException("tensor '" + tensor.getName() + "' has negative dimension " + d
                        + " at axis " + i + "; re-export the model");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new OnnxFormatException("tensor '" + tensor.getName() + "' has dims " + tensor.getDimsList()
                        + " whose product overflows a 64-bit count; re-export the model", e);
            }
        }
        return n;
    }

    /** The element type; an unknown data_type code is a format error. */
    public static TensorDataType dataType(TensorProto tensor) {
        TensorDataType t = TensorDataType.fromCodeOrNull(tensor.getDataType());
        if (t == null || t == TensorDataType.UNDEFINED) {
            int code = tensor.getDataType();
            throw new OnnxFormatException("tensor '" + tensor.getName() + "' has unknown data_type " + code
                    + (code > 0 && code < 64 ? " (newer than the ONNX types rba knows, 1..23)" : " (not an ONNX type)"));
        }
        return t;
    }

    /** Bytes of the tensor in raw little-endian form; a format error for STRING tensors, which have none. */
    public static long rawByteSize(TensorProto tensor) {
        TensorDataType t = dataType(tensor);
        if (!t.hasRawForm()) {
            throw new OnnxFormatException("tensor '" + tensor.getName() + "' of type " + t
                    + " has no raw byte form; only numeric tensors can be read as bytes");
        }
        long n = elementCount(tensor);
        try {
            return t.byteSize(n);
        } catch (ArithmeticException e) {
            throw new OnnxFormatException("tensor '" + tensor.getName() + "' has " + n + " elements of " + t
                    + ", more bytes than a 64-bit size holds; re-export the model", e);
        }
    }

    /** Whether the tensor's data lives in an external file (data_location = EXTERNAL). */
    public static boolean isExternal(TensorProto tensor) {
        return tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    /** Whether the tensor carries its values inside the protobuf (raw_data or a typed field), not externally. */
    public static boolean hasInlineData(TensorProto t) {
        if (isExternal(t)) {
            return false;
        }
        return t.hasRawData() || t.getFloatDataCount() > 0 || t.getInt32DataCount() > 0
                || t.getInt64DataCount() > 0 || t.getDoubleDataCount() > 0 || t.getUint64DataCount() > 0
                || t.getStringDataCount() > 0;
    }
}
