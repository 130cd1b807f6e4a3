package dev.rba.core.data;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Builds one input's tensor for a batch from sample rows on disk: reads each row, checks its values (finite floats;
 * integers that fit a narrower integer input) and copies it into a direct buffer in the model's element type. Rows
 * are read in increasing sample order, whatever the batch order, so a compressed entry is inflated forward only.
 */
final class RowConversion {
    private final Path file;
    private final ModelInputSpec in;
    private final NpyLayout layout;
    private final ElementType from;
    private final ElementType to;
    private final long perSample;

    RowConversion(Path file, ModelInputSpec in, NpyRows rows) {
        this.file = file;
        this.in = in;
        this.layout = rows.layout();
        this.from = layout.type();
        this.to = in.type();
        this.perSample = layout.perSample();
    }

    Tensor gather(NpyRows.Cursor cursor, int[] idx) throws IOException {
        long bytes = perSample * idx.length * to.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidInputException("a batch of " + idx.length + " samples of '" + in.name() + "' is " + bytes
                    + " bytes, more than one buffer holds: use a smaller batch size");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment dst = MemorySegment.ofBuffer(buf);
        byte[] row = new byte[Math.toIntExact(layout.rowBytes())];
        MemorySegment src = MemorySegment.ofArray(row);
        int[] byIndex = IntStream.range(0, idx.length).boxed().sorted(Comparator.comparingInt(k -> idx[k]))
                .mapToInt(Integer::intValue).toArray();
        for (int k : byIndex) {
            cursor.read(idx[k], row);
            if (layout.header().bigEndian()) Npy.swapBytes(src, from.byteSize());
            check(src, idx[k]);
            long dst0 = k * perSample;
            if (from == to) {
                MemorySegment.copy(src, 0, dst, dst0 * to.byteSize(), row.length);
            } else if (from.isFloating()) {
                for (long i = 0; i < perSample; i++) Elements.putDouble(dst, to, dst0 + i, Elements.getDouble(src, from, i));
            } else {
                for (long i = 0; i < perSample; i++) Elements.putLong(dst, to, dst0 + i, Elements.getLong(src, from, i));
            }
        }
        long[] shape = layout.shape();
        shape[0] = idx.length;
        return new Tensor(in.name(), to, shape, buf);
    }

    /** Floating values must be finite; integers going into a narrower integer type must fit it. */
    private void check(MemorySegment row, int sample) {
        if (from.isFloating()) {
            for (long i = 0; i < perSample; i++) {
                double v = Elements.getDouble(row, from, i);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new InvalidInputException(file + ": array '" + in.name() + "' holds " + v + " at index "
                            + where(sample, i) + ": calibration data must be finite, fix or drop that sample");
                }
            }
        } else if (from != to && !to.isFloating() && to != ElementType.INT64) {
            for (long i = 0; i < perSample; i++) {
                long v = Elements.getLong(row, from, i);
                if (!Elements.fits(to, v) || (from == ElementType.UINT64 && v < 0)) {
                    throw new InvalidInputException(file + ": array '" + in.name() + "' holds " + v + " at "
                            + where(sample, i) + ", which does not fit model input '" + in.name() + "' ("
                            + to.typeName() + "): fix the data");
                }
            }
        }
    }

    /** The element's index in the whole array, e.g. [3, 0, 14, 2] (sample 3). */
    private String where(int sample, long inRow) {
        return NdArray.indexOf(layout.shape(), sample * perSample + inRow) + " (sample " + sample + ")";
    }
}
