package dev.rba.core.data;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One .npy array left on disk (a .npy file or an entry of an .npz) and read a sample row at a time, so that memory
 * holds the rows of a batch, never the array. Only the header is read when the array is opened.
 *
 * <p>Uncompressed data (a .npy file, a numpy.savez entry) is read at the row's offset: {@code skip} on a file
 * stream and on a STORED zip entry's stream moves a file position and reads nothing, so a batch costs its own rows.
 * A DEFLATED entry (numpy.savez_compressed) cannot be entered in the middle: a {@link Cursor} inflates it forward
 * from the start, discarding rows it does not need, and starts again only when asked for a row behind it. Samples
 * asked for in increasing order (what rba's sample choice gives) thus inflate the entry once per pass, up to the
 * last sample used, and hold one inflater's buffers. This was chosen over inflating into a temporary .npy: that
 * puts a file the size of the uncompressed data (gigabytes for image sets) in the temp folder, writes all of it
 * even when 32 samples are used, and has to be deleted by a close that {@link CalibrationData} does not have.
 */
final class NpyRows {
    /** Opens the .npy stream (header first); the stream is closed by the caller. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private static final int DISCARD_CHUNK = 1 << 20;

    private final String source;
    private final NpyLayout layout;
    private final Opener opener;
    private final boolean compressed;

    /**
     * @param source    the file (or file:entry) named in error messages
     * @param available bytes of the .npy stream (header and data) the file holds: less than the shape needs is
     *                  refused here, so a truncated file fails when opened rather than partway through a run
     */
    NpyRows(String source, NpyLayout layout, Opener opener, boolean compressed, long available) {
        this.source = source;
        this.layout = layout;
        this.opener = opener;
        this.compressed = compressed;
        long need = layout.dataOffset() + layout.dataBytes();
        if (available < need) throw Npy.truncatedData(source, Math.max(0, available - layout.dataOffset()), layout.dataBytes());
    }

    /** A plain .npy file. */
    static NpyRows ofFile(Path file) throws IOException {
        Opener opener = () -> new FileInputStream(file.toFile());
        NpyLayout layout;
        try (InputStream in = opener.open()) {
            layout = Npy.readHeader(in, file.toString());
        }
        return new NpyRows(file.toString(), layout, opener, false, Files.size(file));
    }

    String source() {
        return source;
    }

    NpyLayout layout() {
        return layout;
    }

    boolean compressed() {
        return compressed;
    }

    /** The whole array in memory: for small arrays only (labels). */
    NdArray readAll() throws IOException {
        try (InputStream in = opener.open()) {
            return Npy.read(in, source);
        }
    }

    /** A reader of rows, for one thread; close it to release the file (and the inflater). */
    Cursor cursor() {
        return new Cursor();
    }

    final class Cursor implements Closeable {
        private InputStream in;
        private long position; // bytes of the .npy stream already consumed
        private byte[] discard;

        /** Reads sample row {@code sample} into row[0..rowBytes); the bytes are as stored (see the header's order). */
        void read(long sample, byte[] row) throws IOException {
            int len = Math.toIntExact(layout.rowBytes());
            long at = layout.dataOffset() + sample * len;
            if (in == null || at < position) {
                close();
                in = opener.open();
                position = 0;
            }
            skipTo(at);
            int got = in.readNBytes(row, 0, len);
            if (got < len) throw Npy.truncatedData(source, at - layout.dataOffset() + got, layout.dataBytes());
            position = at + len;
        }

        private void skipTo(long at) throws IOException {
            while (position < at) {
                long n = compressed ? inflateAndDrop(at - position) : in.skip(at - position);
                if (n <= 0) throw Npy.truncatedData(source, position - layout.dataOffset(), layout.dataBytes());
                position += n;
            }
        }

        /** InflaterInputStream.skip inflates 512 bytes a call; a larger buffer makes skipping gigabytes cheap. */
        private long inflateAndDrop(long n) throws IOException {
            if (discard == null) discard = new byte[DISCARD_CHUNK];
            int got = in.read(discard, 0, (int) Math.min(discard.length, n));
            return Math.max(got, 0);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                InputStream s = in;
                in = null;
                s.close();
            }
        }
    }
}
