package dev.rba.onnx.rewrite;

import dev.rba.onnx.io.TensorDataType;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.runtime.ElementTypes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float values as the little-endian raw_data of a tensor of a floating-point element type. */
public final class TensorEncoding {
    private TensorEncoding() {
    }

    public static byte[] encode(float[] values, int elemType) {
        // isFloating admits exactly the four types the switch writes
        if (!ElementTypes.isFloating(elemType)) {
            throw new IllegalArgumentException("cannot store T as " + Types.dtypeName(elemType) + "; the residual stream must be floating point");
        }
        TensorDataType type = TensorDataType.fromCodeOrNull(elemType);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(type.byteSize(values.length))).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
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
            default -> throw new AssertionError(type);
        }
        return b.array();
    }
}
