package dev.rba.onnx.testmodels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The fixtures' expected arrays (fixtures/models/&lt;model&gt;.expected.npz, numpy.savez of little-endian C-order
 * float32 / int64 arrays), for the runtime and rewrite tests. (The blocks tests have their own package-private reader;
 * the two can merge once both land.)
 */
public final class FixtureArrays {
    public record Array(String descr, long[] shape, ByteBuffer data) {
        public float[] floats() {
            if (!descr.equals("<f4")) throw new IllegalStateException("array is " + descr + ", not float32");
            float[] out = new float[Math.toIntExact(count())];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        public long[] longs() {
            if (!descr.equals("<i8")) throw new IllegalStateException("array is " + descr + ", not int64");
            long[] out = new long[Math.toIntExact(count())];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }

        public long count() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private FixtureArrays() {
    }

    /** The repository's fixtures/models folder, found from the module's working directory. */
    public static Path modelsFolder() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/models"))) return p.resolve("fixtures/models");
        }
        return here.resolve("fixtures/models");
    }

    public static Map<String, Array> read(Path npz) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().replaceAll("\\.npy$", ""), parse(in.readAllBytes(), e.getName()));
                }
            }
        }
        return out;
    }

    private static Array parse(byte[] bytes, String name) {
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') throw new IllegalStateException(name + " is not a .npy array");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = bytes[6] == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int start = bytes[6] == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new IllegalStateException(name + " is in Fortran order");
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IllegalStateException(name + ": unreadable header " + header);
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        return new Array(d.group(1), shape, ByteBuffer.wrap(bytes, start + headerLen, bytes.length - start - headerLen).slice());
    }
}
