package dev.rba.onnx.blocks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Test-only reader for numpy .npz files (a zip of .npy arrays, as numpy.savez writes them): little-endian float32,
 * int64, int32 and bool arrays in C order, which is all the fixtures' expected files hold.
 */
final class NpzTestArrays {
    record Array(String descr, long[] shape, ByteBuffer data) {
        float[] floats() {
            float[] out = new float[(int) count()];
            if (descr.equals("<f4")) data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            else throw new IllegalStateException("array is " + descr + ", not float32");
            return out;
        }

        long[] longs() {
            long[] out = new long[(int) count()];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            switch (descr) {
                case "<i8" -> b.asLongBuffer().get(out);
                case "<i4" -> { for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i); }
                case "|b1" -> { for (int i = 0; i < out.length; i++) out[i] = b.get(i); }
                default -> throw new IllegalStateException("array is " + descr + ", not integer");
            }
            return out;
        }

        long count() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().replaceAll("\\.npy$", ""), parse(in.readAllBytes(), e.getName()));
                }
            }
        }
        return out;
    }

    private static Array parse(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') throw new IllegalStateException(name + " is not .npy");
        int major = bytes[6];
        int headerLen = major == 1 ? (b.getShort(8) & 0xffff) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new IllegalStateException(name + " is in Fortran order");
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IllegalStateException(name + ": bad header " + header);
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        ByteBuffer data = ByteBuffer.wrap(bytes, start + headerLen, bytes.length - start - headerLen).slice();
        return new Array(d.group(1), shape, data);
    }
}
