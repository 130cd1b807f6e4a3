package dev.rba.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

/**
 * One batch of captured activations, handed to the consumer of {@link ActivationCapture#run}.
 *
 * <p><b>Lifetime:</b> the segments are the capture's reusable buffers; they hold this batch's data only while the
 * consumer runs and are overwritten by the next batch (and freed when the capture closes). Copy what must outlive
 * the call; every accessor throws IllegalStateException once the call has returned.
 *
 * <p>h(k) is the k-th requested boundary tensor as [count, tokens, d] in the model's element type ({@link #elementType},
 * float32 for most models), dense, row-major, native byte order. Where the model takes an attention mask,
 * {@link #tokenMask} marks real tokens (1) and padding (0) per [sample, token] row, so statistics can skip padding.
 */
public final class CapturedBatch {
    private final long start;
    private final int count;
    private final int tokens;
    private final int d;
    private final OnnxJavaType elementType;
    private final List<String> names;
    private final MemorySegment[] h;
    private final Map<String, ModelOutput> outputs;
    private final MemorySegment tokenMask;
    private boolean live = true;

    /** A model output of this batch: its shape and values converted to float. */
    public record ModelOutput(long[] shape, float[] values) {
    }

    CapturedBatch(long start, int count, int tokens, int d, OnnxJavaType elementType, List<String> names, MemorySegment[] h,
                  Map<String, ModelOutput> outputs, MemorySegment tokenMask) {
        this.start = start;
        this.count = count;
        this.tokens = tokens;
        this.d = d;
        this.elementType = elementType;
        this.names = names;
        this.h = h;
        this.outputs = outputs;
        this.tokenMask = tokenMask;
    }

    /** Index of this batch's first sample in the input. */
    public long start() {
        alive();
        return start;
    }

    /** Samples in this batch (the last batch may be shorter). */
    public int count() {
        alive();
        return count;
    }

    public int tokens() {
        alive();
        return tokens;
    }

    public int d() {
        alive();
        return d;
    }

    public OnnxJavaType elementType() {
        alive();
        return elementType;
    }

    /** Number of captured boundary tensors. */
    public int boundaries() {
        alive();
        return h.length;
    }

    /** The graph name of boundary k. */
    public String boundaryName(int k) {
        alive();
        return names.get(k);
    }

    /** Boundary k as [count, tokens, d], exactly count*tokens*d elements. Valid only during the consumer call. */
    public MemorySegment h(int k) {
        alive();
        return h[k];
    }

    /** The model's own outputs for this batch, by name (copied to the heap: they are small). */
    public Map<String, ModelOutput> outputs() {
        alive();
        return outputs;
    }

    /** Whether this batch has a token mask (the model takes an attention mask). */
    public boolean hasTokenMask() {
        alive();
        return tokenMask != null;
    }

    /** Bytes [count, tokens]: 1 for a real token, 0 for padding; null when the model takes no mask. */
    public MemorySegment tokenMask() {
        alive();
        return tokenMask;
    }

    public boolean isPadding(int sample, int token) {
        alive();
        return tokenMask != null && tokenMask.get(ValueLayout.JAVA_BYTE, (long) sample * tokens + token) == 0;
    }

    /** Rows [sample, token] that are real tokens: count*tokens without a mask. */
    public long realTokens() {
        alive();
        if (tokenMask == null) return (long) count * tokens;
        long n = 0;
        for (long i = 0; i < (long) count * tokens; i++) n += tokenMask.get(ValueLayout.JAVA_BYTE, i);
        return n;
    }

    void expire() {
        live = false;
    }

    private void alive() {
        if (!live) throw new IllegalStateException("captured batch used after its consumer returned; copy what you need during the call");
    }
}
