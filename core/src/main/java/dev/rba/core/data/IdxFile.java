package dev.rba.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST format), optionally gzipped: a big-endian magic {@code 0x0000TTNN} (TT the element type,
 * 0x08 for unsigned bytes; NN the number of dimensions), one big-endian uint32 per dimension, then the data.
 */
public record IdxFile(Path path, int[] dims, byte[] data) {
    private static final int UBYTE = 0x08;

    /** Reads a whole unsigned-byte IDX file; gzip is recognised by its magic bytes, not the file name. */
    public static IdxFile read(Path path) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            byte[] head = in.readNBytes(4);
            if (head.length < 4 || head[0] != 0 || head[1] != 0) {
                throw new InvalidInputException(path + ": not an IDX file (magic " + hex(head) + ", expected "
                        + "00 00 08 nn): give MNIST-format *-images-idx3-ubyte[.gz] and *-labels-idx1-ubyte[.gz] files");
            }
            if ((head[2] & 0xff) != UBYTE) {
                throw new InvalidInputException(path + ": IDX element type 0x" + Integer.toHexString(head[2] & 0xff)
                        + " is not unsigned byte (0x08): rba reads 8-bit IDX files; convert the data to an .npz");
            }
            int nd = head[3] & 0xff;
            byte[] dimBytes = in.readNBytes(4 * nd);
            if (dimBytes.length < 4 * nd) throw truncated(path);
            int[] dims = new int[nd];
            long count = 1;
            for (int i = 0; i < nd; i++) {
                long d = (dimBytes[4 * i] & 0xffL) << 24 | (dimBytes[4 * i + 1] & 0xff) << 16
                        | (dimBytes[4 * i + 2] & 0xff) << 8 | (dimBytes[4 * i + 3] & 0xff);
                count *= d;
                if (d > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 16) {
                    throw new InvalidInputException(path + ": IDX dimensions are too large for rba (over 2 GiB)");
                }
                dims[i] = (int) d;
            }
            byte[] data = in.readNBytes((int) count);
            if (data.length < count) throw truncated(path);
            return new IdxFile(path, dims, data);
        }
    }

    private static InvalidInputException truncated(Path path) {
        return new InvalidInputException(path + ": IDX file ends before its declared size: the file is truncated, "
                + "download or write it again");
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x ", x));
        return sb.toString().strip();
    }

    @Override
    public String toString() {
        return path + " " + Arrays.toString(dims);
    }
}
