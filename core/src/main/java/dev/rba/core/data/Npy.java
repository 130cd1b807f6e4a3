package dev.rba.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0). Layout: the magic {@code \x93NUMPY}, major and
 * minor version bytes, the header length (uint16 LE in v1, uint32 LE in v2/v3), the header dict (latin-1, UTF-8 in
 * v3) padded with spaces and a newline so that the data starts at a multiple of 64 bytes, then the raw C-order data.
 */
public final class Npy {
    private Npy() {
    }

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 20;

    public static NdArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString());
        }
    }

    /** Reads one array from a stream; source names the file (or zip entry) in error messages. */
    public static NdArray read(InputStream in, String source) throws IOException {
        NpyHeader h = readHeader(in, source).header();
        NdArray a = NdArray.allocate(h.type(), h.shape());
        readFully(in, a.data(), source);
        if (h.bigEndian()) swapBytes(a.data(), h.type().byteSize());
        return a;
    }

    /** Reads the header from the start of a .npy stream, leaving the stream at the first data byte. */
    static NpyLayout readHeader(InputStream in, String source) throws IOException {
        byte[] pre = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.length < 8 || pre[i] != MAGIC[i]) {
                throw new InvalidInputException(source + ": not a .npy file (no \\x93NUMPY magic): save arrays with "
                        + "numpy.save or numpy.savez");
            }
        }
        int major = pre[6];
        long len;
        int prefix = major == 1 ? 10 : 12; // magic, version, then a 2- or 4-byte header length
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            if (b.length < 2) throw truncated(source);
            len = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) throw truncated(source);
            len = (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
        } else {
            throw new InvalidInputException(source + ": .npy format version " + major + " is not supported "
                    + "(1, 2 and 3 are): save it again with numpy.save");
        }
        if (len > 1 << 24) throw new InvalidInputException(source + ": .npy header length " + len + " is implausible");
        byte[] text = in.readNBytes((int) len);
        if (text.length < len) throw truncated(source);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new NpyLayout(NpyHeader.parse(dict, source), prefix + len);
    }

    /** Magic, version, length and the padded header dict for a little-endian C-order array. */
    static byte[] headerBytes(ElementType type, long[] shape) {
        String dict = new NpyHeader(type, false, shape).format();
        byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
        boolean v1 = 10 + d.length + 1 <= 0xffff;
        int prefix = v1 ? 10 : 12;
        int total = (prefix + d.length + 1 + ALIGN - 1) / ALIGN * ALIGN;
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (v1 ? 1 : 2);
        out[7] = 0;
        int hlen = total - prefix;
        out[8] = (byte) hlen;
        out[9] = (byte) (hlen >>> 8);
        if (!v1) {
            out[10] = (byte) (hlen >>> 16);
            out[11] = (byte) (hlen >>> 24);
        }
        System.arraycopy(d, 0, out, prefix, d.length);
        for (int i = prefix + d.length; i < total - 1; i++) out[i] = ' ';
        out[total - 1] = '\n';
        return out;
    }

    /** Writes an array to a file through a temporary file and a rename, so a reader never sees half a file. */
    public static void write(Path file, NdArray a) throws IOException {
        try (NpyWriter w = NpyWriter.create(file, a.type(), a.shape())) {
            w.append(a.data());
            w.finish();
        }
    }

    /** Writes an array to a stream (used for .npz entries). */
    public static void write(OutputStream out, NdArray a) throws IOException {
        out.write(headerBytes(a.type(), a.shape()));
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, a.data().byteSize()))];
        MemorySegment bufSeg = MemorySegment.ofArray(buf);
        for (long off = 0, n = a.data().byteSize(); off < n; ) {
            int len = (int) Math.min(buf.length, n - off);
            MemorySegment.copy(a.data(), off, bufSeg, 0, len);
            out.write(buf, 0, len);
            off += len;
        }
    }

    private static void readFully(InputStream in, MemorySegment dst, String source) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, dst.byteSize()))];
        MemorySegment bufSeg = MemorySegment.ofArray(buf);
        long off = 0;
        while (off < dst.byteSize()) {
            int want = (int) Math.min(buf.length, dst.byteSize() - off);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw truncatedData(source, off + got, dst.byteSize());
            }
            MemorySegment.copy(bufSeg, 0, dst, off, got);
            off += got;
        }
    }

    /** The one-line error for an array whose data stops short of what its shape declares. */
    static InvalidInputException truncatedData(String source, long have, long need) {
        return new InvalidInputException(source + ": .npy data ends after " + have + " of " + need
                + " bytes: the file is truncated, write it again", new EOFException());
    }

    /** Big-endian element bytes to little-endian, in place. */
    static void swapBytes(MemorySegment s, int size) {
        for (long off = 0; off < s.byteSize(); off += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte a = s.get(ValueLayout.JAVA_BYTE, off + i);
                s.set(ValueLayout.JAVA_BYTE, off + i, s.get(ValueLayout.JAVA_BYTE, off + j));
                s.set(ValueLayout.JAVA_BYTE, off + j, a);
            }
        }
    }

    private static InvalidInputException truncated(String source) {
        return new InvalidInputException(source + ": .npy header is truncated: write the file again");
    }
}
