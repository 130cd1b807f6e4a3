package dev.rba.onnx.rewrite;

import dev.rba.onnx.ir.Types;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float values as the little-endian raw_data of a tensor of a floating-point element type. */
public final class TensorEncoding {
    private TensorEncoding() {
    }

    public static byte[] encode(float[] values, int elemType) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(elemType);
        if (dt == null) throw new IllegalArgumentException("unknown element type " + elemType);
        ByteBuffer b = ByteBuffer.allocate(values.length * Types.byteSize(elemType)).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case FLOAT -> {
                for (float v : values) b.putFloat(v);
            }
            case DOUBLE -> {
                for (float v : values) b.putDouble(v);
            }
            case FLOAT16 -> {
                for (float v : values) b.putShort(Float.floatToFloat16(v));
            }
            case BFLOAT16 -> {
                for (float v : values) b.putShort(HalfFloats.toBFloat16Bits(v));
            }
            default -> throw new IllegalArgumentException("cannot store T as " + Types.dtypeName(elemType) + "; the residual stream must be floating point");
        }
        return b.array();
    }
}
