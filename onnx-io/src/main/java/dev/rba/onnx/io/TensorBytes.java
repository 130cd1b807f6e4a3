package dev.rba.onnx.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor's raw little-endian bytes with its element type and dims. For external data the segment is a read-only
 * slice of the file's mapping (off-heap, valid until the owning {@link OnnxModelFile} is closed); for inline data it
 * is a read-only heap segment over the parsed protobuf bytes.
 *
 * @param name     tensor name
 * @param dataType element type
 * @param dims     shape (empty for a scalar)
 * @param data     exactly {@code dataType.byteSize(elementCount())} bytes
 */
public record TensorBytes(String name, TensorDataType dataType, long[] dims, MemorySegment data) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public TensorBytes {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Product of dims (1 for a scalar). */
    public long elementCount() {
        return TensorShapes.elementCount(dims);
    }

    /** Size of {@link #data()} in bytes. */
    public long byteSize() {
        return data.byteSize();
    }

    /** Whether the bytes are a mapping of a data file (external data), as opposed to protobuf bytes on the heap. */
    public boolean isMapped() {
        return data.isNative() && data.isMapped();
    }

    /** Whether {@link #floatAt} and {@link #toFloatArray} can read this tensor. */
    public boolean isFloatingPoint() {
        return switch (dataType) {
            case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> true;
            default -> false;
        };
    }

    /** Element {@code index} (row-major) converted to float: float32, float16, bfloat16 or double (rounded). */
    public float floatAt(long index) {
        return switch (dataType) {
            case FLOAT -> data.get(F32, index * 4);
            case DOUBLE -> (float) data.get(F64, index * 8);
            case FLOAT16 -> Float.float16ToFloat(data.get(I16, index * 2));
            // bfloat16 is the upper half of a float32's bits
            case BFLOAT16 -> Float.intBitsToFloat((data.get(I16, index * 2) & 0xFFFF) << 16);
            default -> throw notFloat();
        };
    }

    /** All elements converted to a new float array (row-major). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' has " + n + " elements, too many for one array;"
                    + " read it with floatAt or its segment");
        }
        if (!isFloatingPoint()) {
            throw notFloat();
        }
        float[] out = new float[(int) n];
        if (dataType == TensorDataType.FLOAT) {
            MemorySegment.copy(data, F32, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = floatAt(i);
            }
        }
        return out;
    }

    private IllegalStateException notFloat() {
        return new IllegalStateException("tensor '" + name + "' has type " + dataType
                + "; float conversion supports FLOAT, FLOAT16, BFLOAT16 and DOUBLE");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorBytes t && name.equals(t.name) && dataType == t.dataType
                && Arrays.equals(dims, t.dims) && data.byteSize() == t.data.byteSize()
                && data.mismatch(t.data) == -1;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "TensorBytes[" + name + ", " + dataType + Arrays.toString(dims) + ", " + data.byteSize() + " bytes"
                + (isMapped() ? ", mapped" : "") + "]";
    }
}
