package dev.rba.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Samples read from disk per batch ({@link NpyRows} through {@link NpzData}) against the whole arrays read by
 * {@link Npz#read} / {@link Npy#read} (a separate path: one sequential stream per entry into memory), for stored and
 * compressed .npz, a zip64 archive written byte by byte, plain and big-endian .npy, in increasing, decreasing and
 * shuffled sample orders.
 */
class NpzRowsTest {
    private static final List<ModelInputSpec> INPUTS = List.of(
            new ModelInputSpec("pixel_values", "float32", new long[] {-1, 3, 4, 5}),
            new ModelInputSpec("input_ids", "int32", new long[] {-1, 6}));

    private static Map<String, NdArray> arrays(int n) {
        SplittableRandom rnd = new SplittableRandom(11);
        NdArray x = NdArray.allocate(ElementType.FLOAT32, n, 3, 4, 5);
        for (long i = 0; i < x.elementCount(); i++) x.setDouble(i, rnd.nextDouble(-3, 3));
        NdArray ids = NdArray.allocate(ElementType.INT64, n, 6);
        for (long i = 0; i < ids.elementCount(); i++) ids.setLong(i, rnd.nextInt(-50_000, 50_000));
        NdArray labels = NdArray.allocate(ElementType.INT64, n);
        for (int i = 0; i < n; i++) labels.setLong(i, i % 4);
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("pixel_values", x);
        m.put("input_ids", ids);
        m.put("labels", labels);
        return m;
    }

    /** Orders that read forward, backward (every row behind the cursor) and at random, with several batch sizes. */
    private static List<int[]> orders(int n) {
        int[] up = new int[n];
        int[] down = new int[n];
        for (int i = 0; i < n; i++) {
            up[i] = i;
            down[i] = n - 1 - i;
        }
        int[] shuffled = up.clone();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        return List.of(up, down, shuffled, new int[] {n - 1, 0, n / 2, n / 2});
    }

    /** Every batch of every order holds exactly the reference rows, converted to the input's type. */
    private static void assertSameSamples(Path file, List<ModelInputSpec> inputs, Map<String, NdArray> reference)
            throws IOException {
        CalibrationData d = DataSources.open(file, inputs, DataOptions.defaults(Map.of()));
        int n = d.size();
        assertEquals(reference.get(inputs.get(0).name()).dim(0), n);
        for (int[] order : orders(n)) {
            for (int batch : new int[] {1, 3, n}) {
                int seen = 0;
                for (DataBatch b : d.batches(batch, order)) {
                    for (ModelInputSpec in : inputs) {
                        NdArray ref = reference.get(in.name());
                        Tensor t = b.input(in.name());
                        assertEquals(in.type(), t.type());
                        long per = ref.elementCount() / ref.dim(0);
                        for (int k = 0; k < b.size(); k++) {
                            int s = order[seen + k];
                            assertEquals(s, b.sampleIndices()[k]);
                            for (long i = 0; i < per; i++) {
                                assertEquals(ref.getDouble(s * per + i), t.getDouble(k * per + i), 0.0,
                                        file.getFileName() + " " + in.name() + " sample " + s + " element " + i);
                            }
                        }
                    }
                    if (reference.containsKey("labels")) {
                        for (int k = 0; k < b.size(); k++) {
                            assertEquals(reference.get("labels").getLong(b.sampleIndices()[k]), b.labels()[k]);
                        }
                    }
                    seen += b.size();
                }
                assertEquals(order.length, seen);
            }
        }
    }

    @Test
    void storedAndCompressedNpzGiveTheRowsNpzReadGives(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = arrays(9);
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("data-" + compress + ".npz");
            Npz.write(f, m, compress);
            assertSameSamples(f, INPUTS, Npz.read(f));
            String description = DataSources.open(f, INPUTS, DataOptions.defaults(Map.of())).description();
            assertEquals(compress, description.contains("compressed"), description);
        }
    }

    @Test
    void fixtureWrittenByNumpyGivesTheRowsNpzReadGives() throws IOException {
        // numpy.savez puts a zip64 extra field in each local header that the central directory lacks, so the data
        // starts at a different offset than the central directory alone would say.
        Path f = Fixtures.data().resolve("fashion-mnist-npz/test-200.npz");
        assertSameSamples(f, Fixtures.fmnistInputs(), Npz.read(f));
    }

    @Test
    void zip64ArchiveWrittenByteByByte(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = arrays(5);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : m.entrySet()) entries.put(e.getKey() + ".npy", npyBytes(e.getValue()));
        Path f = Files.write(dir.resolve("zip64.npz"), zip64(entries));
        assertSameSamples(f, INPUTS, m);
    }

    @Test
    void npyFilesLittleAndBigEndian(@TempDir Path dir) throws IOException {
        NdArray x = arrays(7).get("pixel_values");
        List<ModelInputSpec> one = List.of(INPUTS.get(0));
        Path little = dir.resolve("x.npy");
        Npy.write(little, x);
        assertSameSamples(little, one, Map.of("pixel_values", Npy.read(little)));
        Path big = Files.write(dir.resolve("big.npy"), bigEndianNpy(x));
        assertSameSamples(big, one, Map.of("pixel_values", x));
    }

    @Test
    void truncatedAndForeignFilesFailWhenOpened(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole.npz");
        Npz.write(whole, arrays(6), false);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.npz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        fails(cut, INPUTS, "cut.npz", "not a readable .npz", "numpy.savez");
        Path text = Files.writeString(dir.resolve("text.npz"), "pixel_values,input_ids\n1,2\n");
        fails(text, INPUTS, "text.npz", "not a readable .npz");

        // A zip whose entry declares 10 rows but holds 3: refused at open, not partway through a run.
        for (boolean compress : new boolean[] {false, true}) {
            Path shortEntry = dir.resolve("short-" + compress + ".npz");
            byte[] npy = npyBytes(arrays(10).get("pixel_values"));
            byte[] head = Npy.headerBytes(ElementType.FLOAT32, new long[] {10, 3, 4, 5});
            zip(shortEntry, Map.of("pixel_values.npy", java.util.Arrays.copyOf(npy, head.length + 3 * 60 * 4)), compress);
            fails(shortEntry, List.of(INPUTS.get(0)), "short-" + compress + ".npz:pixel_values.npy", "truncated",
                    "720 of 2400 bytes");
        }
        Path notNpy = dir.resolve("garbage.npz");
        zip(notNpy, Map.of("pixel_values.npy", "hello".getBytes(StandardCharsets.US_ASCII)), false);
        fails(notNpy, List.of(INPUTS.get(0)), "garbage.npz:pixel_values.npy", "not a .npy file");

        Path npy = dir.resolve("cut.npy");
        Npy.write(npy, arrays(4).get("pixel_values"));
        byte[] n = Files.readAllBytes(npy);
        Files.write(npy, java.util.Arrays.copyOf(n, n.length - 1));
        fails(npy, List.of(INPUTS.get(0)), "cut.npy", "truncated");

        Path fortran = dir.resolve("fortran.npz");
        String dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4, 5), }";
        zip(fortran, Map.of("pixel_values.npy", npyWithDict(dict, new byte[2 * 60 * 4])), false);
        fails(fortran, List.of(INPUTS.get(0)), "fortran.npz:pixel_values.npy", "Fortran order", "ascontiguousarray");
    }

    @Test
    void integersThatDoNotFitTheInputFailOnTheRowThatHoldsThem(@TempDir Path dir) throws IOException {
        NdArray ids = NdArray.allocate(ElementType.INT64, 4, 6);
        ids.setLong(2 * 6 + 5, 1L << 40);
        Path f = dir.resolve("ids.npz");
        Npz.write(f, Map.of("input_ids", ids), false);
        List<ModelInputSpec> in = List.of(INPUTS.get(1));
        CalibrationData d = DataSources.open(f, in, DataOptions.defaults(Map.of()));
        assertEquals(2, d.batches(2, new int[] {0, 3}).iterator().next().size());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> d.batches(2).forEach(b -> { }));
        for (String s : new String[] {"ids.npz", "'input_ids'", "1099511627776", "[2, 5]", "sample 2", "int32"}) {
            assertTrue(e.getMessage().contains(s), s + " missing from: " + e.getMessage());
        }
    }

    private static void fails(Path file, List<ModelInputSpec> inputs, String... mustContain) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSources.open(file, inputs, DataOptions.defaults(Map.of())));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String s : mustContain) assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
    }

    private static byte[] npyBytes(NdArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    /** A v1.0 .npy with the given header dict, padded to 64 bytes as the format asks. */
    private static byte[] npyWithDict(String dict, byte[] data) {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - 10));
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (b.position() < total - 1) b.put((byte) ' ');
        b.put((byte) '\n').put(data);
        return b.array();
    }

    private static byte[] bigEndianNpy(NdArray x) {
        StringBuilder shape = new StringBuilder();
        for (long d : x.shape()) shape.append(d).append(", ");
        String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (" + shape.toString().strip() + "), }";
        ByteBuffer data = ByteBuffer.allocate((int) x.elementCount() * 4).order(ByteOrder.BIG_ENDIAN);
        for (long i = 0; i < x.elementCount(); i++) data.putFloat((float) x.getDouble(i));
        return npyWithDict(dict, data.array());
    }

    private static void zip(Path file, Map<String, byte[]> entries, boolean compress) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(raw)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                byte[] data = e.getValue();
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                z.putNextEntry(entry);
                z.write(data);
                z.closeEntry();
            }
        }
    }

    /**
     * A zip64 archive of STORED entries, from the facts of the zip specification (APPNOTE 4.3, 4.5.3): every 32-bit
     * size and offset in the headers is 0xFFFFFFFF and the real values sit in zip64 extra fields (id 0x0001), the
     * local one holding (size, compressed size) and the central one (size, compressed size, local header offset);
     * the end record's counts are 0xFFFF and the zip64 end record, found through its locator, holds them.
     */
    private static byte[] zip64(Map<String, byte[]> entries) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> offsets = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] data = e.getValue();
            offsets.add(new long[] {b.position(), crc(data)});
            b.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc(data))
                    .putInt(-1).putInt(-1).putShort((short) name.length).putShort((short) 20).put(name)
                    .putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length).put(data);
        }
        int cdStart = b.position();
        int k = 0;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long[] at = offsets.get(k++);
            b.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) at[1]).putInt(-1).putInt(-1)
                    .putShort((short) name.length).putShort((short) 28).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(-1).put(name)
                    .putShort((short) 1).putShort((short) 24).putLong(e.getValue().length)
                    .putLong(e.getValue().length).putLong(at[0]);
        }
        int cdSize = b.position() - cdStart;
        int end64 = b.position();
        b.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries.size()).putLong(entries.size()).putLong(cdSize).putLong(cdStart);
        b.putInt(0x07064b50).putInt(0).putLong(end64).putInt(1);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) -1).putShort((short) -1)
                .putInt(-1).putInt(-1).putShort((short) 0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }
}
