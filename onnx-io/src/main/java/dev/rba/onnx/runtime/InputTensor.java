package dev.rba.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.onnx.io.TensorShapes;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One named input tensor: element type, shape (dimension 0 is the sample axis) and its bytes, little-endian, dense,
 * row-major. The data may live on the heap ({@link #ofFloats}, {@link #ofLongs}) or off-heap (any segment).
 */
public record InputTensor(String name, OnnxJavaType type, long[] shape, MemorySegment data) {
    public InputTensor {
        if (type == OnnxJavaType.STRING || type == OnnxJavaType.UNKNOWN) {
            throw new IllegalArgumentException("input '" + name + "': element type " + type + " is not supported; give numeric data");
        }
        if (shape.length == 0) throw new IllegalArgumentException("input '" + name + "' needs a sample axis (rank >= 1)");
        long bytes = TensorShapes.elementCount(shape) * type.size;
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("input '" + name + "' of shape " + Arrays.toString(shape) + " (" + type + ") needs "
                    + bytes + " bytes, data has " + data.byteSize());
        }
        shape = shape.clone();
    }

    public static InputTensor ofFloats(String name, float[] values, long... shape) {
        return new InputTensor(name, OnnxJavaType.FLOAT, shape, MemorySegment.ofArray(values));
    }

    public static InputTensor ofLongs(String name, long[] values, long... shape) {
        return new InputTensor(name, OnnxJavaType.INT64, shape, MemorySegment.ofArray(values));
    }

    public static InputTensor ofInts(String name, int[] values, long... shape) {
        return new InputTensor(name, OnnxJavaType.INT32, shape, MemorySegment.ofArray(values));
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long samples() {
        return shape[0];
    }

    /** Samples [start, start+count) as a view on the same bytes. */
    public InputTensor slice(long start, int count) {
        if (start < 0 || count < 0 || start + count > shape[0]) {
            throw new IndexOutOfBoundsException("input '" + name + "' has " + shape[0] + " samples; asked for " + start + ".." + (start + count));
        }
        long rowBytes = data.byteSize() / Math.max(1, shape[0]);
        long[] s = shape.clone();
        s[0] = count;
        return new InputTensor(name, type, s, data.asSlice(start * rowBytes, count * rowBytes));
    }

    /** Element i as a long (integer types) — used to read attention masks of any integer or bool type. */
    public long longAt(long i) {
        return switch (type) {
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            case INT16 -> data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
            case INT8, UINT8, BOOL -> data.get(ValueLayout.JAVA_BYTE, i);
            case FLOAT -> (long) data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            case DOUBLE -> (long) data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            default -> throw new IllegalStateException("input '" + name + "': cannot read " + type + " as a mask");
        };
    }
}
