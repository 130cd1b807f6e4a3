package dev.rba.core.stats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Which tokens of a batch are real: an attention mask [batch, tokens], 1 = real token, 0 = padding, as ONNX models
 * take it (int64). Padding rows carry no meaning, so no statistic sees them.
 */
public final class TokenMask {

    private final int batch;
    private final int tokens;
    private final boolean[] real;
    private final int[] realPerSample;

    private TokenMask(int batch, int tokens, boolean[] real) {
        this.batch = batch;
        this.tokens = tokens;
        this.real = real;
        this.realPerSample = new int[batch];
        for (int s = 0; s < batch; s++) {
            int count = 0;
            for (int t = 0; t < tokens; t++) {
                if (real[s * tokens + t]) count++;
            }
            realPerSample[s] = count;
        }
    }

    /** A mask from int64 values [batch * tokens] (non-zero = real), e.g. the model's own attention_mask input. */
    public static TokenMask fromLongs(int batch, int tokens, long[] values) {
        checkShape(batch, tokens, values.length);
        boolean[] real = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                throw new IllegalArgumentException("token mask value " + values[i] + " at index " + i
                        + " is neither 0 (padding) nor 1 (real token): pass the model's attention mask");
            }
            real[i] = values[i] != 0;
        }
        return new TokenMask(batch, tokens, real);
    }

    /** A mask from an off-heap byte [batch, tokens] segment (1 = real, 0 = padding), as the capture hands it over. */
    public static TokenMask fromInt8Segment(int batch, int tokens, MemorySegment values) {
        long count = (long) batch * tokens;
        if (values.byteSize() < count) {
            throw new IllegalArgumentException("token mask segment holds " + values.byteSize() + " bytes, fewer than "
                    + "[" + batch + ", " + tokens + "] byte values: pass the whole token mask");
        }
        byte[] bytes = values.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE);
        long[] longs = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) longs[i] = bytes[i];
        return fromLongs(batch, tokens, longs);
    }

    private static void checkShape(int batch, int tokens, int length) {
        if (batch <= 0 || tokens <= 0 || (long) batch * tokens != length) {
            throw new IllegalArgumentException("token mask has " + length + " values but the batch is [" + batch + ", "
                    + tokens + "]: pass one value per token");
        }
    }

    public int batch() {
        return batch;
    }

    public int tokens() {
        return tokens;
    }

    public boolean isReal(int sample, int token) {
        return real[sample * tokens + token];
    }

    public int realTokens(int sample) {
        return realPerSample[sample];
    }

    /** Real tokens in the whole batch. */
    public long realTokens() {
        long sum = 0;
        for (int c : realPerSample) sum += c;
        return sum;
    }
}
