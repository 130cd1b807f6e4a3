package dev.rba.core.data;

import dev.rba.onnx.io.TensorShapes;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An n-dimensional array read from or written to .npy: element type, C-order shape and little-endian bytes.
 * Arrays read from files live on the Java heap in a {@code long[]}-backed segment (no native arena to close, and up
 * to 16 GiB instead of a byte array's 2 GiB).
 */
public final class NdArray {
    private static final long MAX_HEAP_BYTES = (long) Integer.MAX_VALUE * Long.BYTES - 64;

    private final ElementType type;
    private final long[] shape;
    private final MemorySegment data;

    /** Wraps existing little-endian bytes; data must hold exactly elementCount(shape) elements. */
    public NdArray(ElementType type, long[] shape, MemorySegment data) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
        long need = elementCount(shape) * type.byteSize();
        if (data.byteSize() != need) {
            throw new IllegalArgumentException("array of " + type.typeName() + " " + Arrays.toString(shape)
                    + " needs " + need + " bytes, the segment has " + data.byteSize());
        }
    }

    /** A zero-filled array on the Java heap. */
    public static NdArray allocate(ElementType type, long... shape) {
        long bytes = elementCount(shape) * type.byteSize();
        if (bytes > MAX_HEAP_BYTES) {
            throw new InvalidInputException("array " + Arrays.toString(shape) + " of " + type.typeName() + " is "
                    + bytes + " bytes, more than rba holds in memory (16 GiB): give fewer samples");
        }
        MemorySegment backing = MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)]);
        return new NdArray(type, shape, backing.asSlice(0, bytes));
    }

    public ElementType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    /** Little-endian element bytes in C order. */
    public MemorySegment data() {
        return data;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    public double getDouble(long flatIndex) {
        return Elements.getDouble(data, type, flatIndex);
    }

    public long getLong(long flatIndex) {
        return Elements.getLong(data, type, flatIndex);
    }

    public void setDouble(long flatIndex, double v) {
        Elements.putDouble(data, type, flatIndex, v);
    }

    public void setLong(long flatIndex, long v) {
        Elements.putLong(data, type, flatIndex, v);
    }

    /** Product of the dims (1 for a scalar); a negative dim is an {@link IllegalArgumentException}. */
    public static long elementCount(long[] shape) {
        return TensorShapes.elementCount(shape);
    }

    /** The C-order multi-index of a flat index, e.g. [3, 0, 14, 2], for messages about a single bad element. */
    public String indexOf(long flatIndex) {
        return indexOf(shape, flatIndex);
    }

    /** The C-order multi-index of a flat index into an array of the given shape. */
    static String indexOf(long[] shape, long flatIndex) {
        long[] idx = new long[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flatIndex % shape[a];
            flatIndex /= shape[a];
        }
        return Arrays.toString(idx);
    }

    @Override
    public String toString() {
        return type.typeName() + Arrays.toString(shape);
    }
}
