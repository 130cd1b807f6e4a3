package dev.rba.core.onnx;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.core.data.Float16;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Captured activations as float32, which the statistics read. Most models keep float32 in the residual stream and
 * pass through untouched; float16 and float64 models are converted into a buffer owned by this object, reused for
 * every batch and freed by {@link #close()}.
 */
public final class ActivationFloats implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private MemorySegment[] buffers = new MemorySegment[0];

    /** Stream {@code k} of a batch as float32 [elements]; valid until the next call for the same k. */
    public MemorySegment asFloat32(int k, MemorySegment src, OnnxJavaType type, long elements) {
        if (type == OnnxJavaType.FLOAT) return src.asSlice(0, elements * Float.BYTES);
        if (type != OnnxJavaType.FLOAT16 && type != OnnxJavaType.DOUBLE) {
            throw new IllegalArgumentException("the residual stream has element type " + type + "; rba reads float32, float16 or float64 activations");
        }
        if (k >= buffers.length) buffers = java.util.Arrays.copyOf(buffers, k + 1);
        if (buffers[k] == null || buffers[k].byteSize() < elements * Float.BYTES) {
            buffers[k] = arena.allocate(elements * Float.BYTES, 64);
        }
        MemorySegment out = buffers[k].asSlice(0, elements * Float.BYTES);
        for (long i = 0; i < elements; i++) {
            float v = type == OnnxJavaType.FLOAT16
                    ? Float.float16ToFloat(src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i))
                    : (float) src.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
