package dev.rba.core.stats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Which rows of an activation batch [batch, tokens, d] the statistics see.
 *
 * <p>Padding tokens are <em>compacted out</em> rather than zeroed: the row count then equals the rows every sum was
 * taken over, no caller has to "count them out" afterwards, and no GEMM time is spent on rows that add nothing.
 */
public enum TokenSelection {
    /** Token 0 of each sample (the class token); one row per sample. */
    CLS,
    /** Every real (unmasked) token of every sample. */
    ALL,
    /** The mean over the real tokens of each sample; one row per sample. */
    MEAN;

    /** Parses {@code cls | all | mean}. */
    public static TokenSelection parse(String text) {
        for (TokenSelection s : values()) {
            if (s.name().equalsIgnoreCase(text.strip())) return s;
        }
        throw new IllegalArgumentException("unknown token selection '" + text + "': use cls, all or mean");
    }

    /** Rows this selection yields for the batch shape and mask (null mask = every token real). */
    public long rowCount(int batch, int tokens, TokenMask mask) {
        return switch (this) {
            case CLS, MEAN -> batch;
            case ALL -> mask == null ? (long) batch * tokens : mask.realTokens();
        };
    }

    /**
     * The selected rows as float32 [rows, width]. Where no copy is needed (ALL without a mask) this is a slice of
     * {@code src}; otherwise a new segment allocated in {@code arena}, which the caller owns.
     *
     * @param src float32 [batch, tokens, width], row-major, native byte order
     * @param mask null when every token is real
     */
    public MemorySegment select(MemorySegment src, int batch, int tokens, int width, TokenMask mask, Arena arena) {
        long rowBytes = (long) width * Float.BYTES;
        long need = (long) batch * tokens * rowBytes;
        if (src.byteSize() < need) {
            throw new IllegalArgumentException("activation segment holds " + src.byteSize() + " bytes, fewer than ["
                    + batch + ", " + tokens + ", " + width + "] floats: check the batch shape and stream width");
        }
        if (mask != null && (mask.batch() != batch || mask.tokens() != tokens)) {
            throw new IllegalArgumentException("token mask is [" + mask.batch() + ", " + mask.tokens()
                    + "] but the batch is [" + batch + ", " + tokens + "]: pass the mask of this batch");
        }
        if (mask != null) {
            for (int s = 0; s < batch; s++) {
                if (mask.realTokens(s) == 0) {
                    throw new IllegalArgumentException("sample " + s + " of the batch has no real token in its mask: "
                            + "drop empty samples before capture");
                }
                if (this == CLS && !mask.isReal(s, 0)) {
                    throw new IllegalArgumentException("sample " + s + " masks out token 0, which the cls selection"
                            + " reads: use --tokens mean or all for models without a class token");
                }
            }
        }
        return switch (this) {
            case CLS -> {
                MemorySegment out = arena.allocate((long) batch * rowBytes, Float.BYTES);
                for (int s = 0; s < batch; s++) {
                    MemorySegment.copy(src, (long) s * tokens * rowBytes, out, s * rowBytes, rowBytes);
                }
                yield out;
            }
            case ALL -> {
                if (mask == null) yield src.asSlice(0, need);
                MemorySegment out = arena.allocate(mask.realTokens() * rowBytes, Float.BYTES);
                long row = 0;
                for (int s = 0; s < batch; s++) {
                    for (int t = 0; t < tokens; t++) {
                        if (!mask.isReal(s, t)) continue;
                        MemorySegment.copy(src, ((long) s * tokens + t) * rowBytes, out, row * rowBytes, rowBytes);
                        row++;
                    }
                }
                yield out;
            }
            case MEAN -> {
                MemorySegment out = arena.allocate((long) batch * rowBytes, Float.BYTES);
                double[] sum = new double[width];
                for (int s = 0; s < batch; s++) {
                    java.util.Arrays.fill(sum, 0.0);
                    int count = 0;
                    for (int t = 0; t < tokens; t++) {
                        if (mask != null && !mask.isReal(s, t)) continue;
                        long base = ((long) s * tokens + t) * rowBytes;
                        for (int c = 0; c < width; c++) {
                            sum[c] += src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, base + (long) c * Float.BYTES);
                        }
                        count++;
                    }
                    for (int c = 0; c < width; c++) {
                        out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, s * rowBytes + (long) c * Float.BYTES,
                                (float) (sum[c] / count));
                    }
                }
                yield out;
            }
        };
    }
}
