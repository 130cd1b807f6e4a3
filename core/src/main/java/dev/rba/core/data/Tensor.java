package dev.rba.core.data;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One model input's data for one batch: element type, shape [b, ...] and the little-endian bytes in a direct
 * ByteBuffer (what ONNX Runtime's Java API takes for tensors; the buffer is owned by the GC, so no arena to close).
 */
public record Tensor(String name, ElementType type, long[] shape, ByteBuffer data) {
    public Tensor {
        shape = shape.clone();
        if (!data.isDirect()) throw new IllegalArgumentException("tensor " + name + " needs a direct buffer");
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The same bytes as an off-heap segment (no copy). */
    public MemorySegment segment() {
        return MemorySegment.ofBuffer(data);
    }

    public long elementCount() {
        return NdArray.elementCount(shape);
    }

    /** Element i as a double, for checks and tests. */
    public double getDouble(long flatIndex) {
        return Elements.getDouble(segment(), type, flatIndex);
    }

    @Override
    public String toString() {
        return name + " " + type.typeName() + Arrays.toString(shape);
    }
}
