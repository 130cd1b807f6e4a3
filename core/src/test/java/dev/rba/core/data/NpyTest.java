package dev.rba.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    @Test
    void readsNumpyWrittenFilesOfEveryVersion() throws IOException {
        for (String v : new String[] {"v1", "v2", "v3"}) {
            NdArray a = Npy.read(Fixtures.resource("npy/" + v + ".npy"));
            assertEquals(ElementType.INT16, a.type());
            assertArrayEquals(new long[] {2, 3}, a.shape());
            for (int i = 0; i < 6; i++) assertEquals(i - 3, a.getLong(i), v);
        }
        NdArray s = Npy.read(Fixtures.resource("npy/scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals(3.5, s.getDouble(0));
    }

    @Test
    void readsACompressedNpzOfMixedTypes() throws IOException {
        Map<String, NdArray> z = Npz.read(Fixtures.resource("npy/mixed-compressed.npz"));
        for (String name : new String[] {"f16", "f32", "f64"}) {
            NdArray a = z.get(name);
            assertArrayEquals(new long[] {2, 3, 4}, a.shape(), name);
            for (int i = 0; i < 24; i++) assertEquals(i * 0.25 - 2.0, a.getDouble(i), name); // exact in every type
        }
        assertEquals(ElementType.FLOAT16, z.get("f16").type());
        NdArray i32 = z.get("i32");
        for (int i = 0; i < 12; i++) assertEquals(i - 6, i32.getLong(i));
        NdArray u8 = z.get("u8");
        assertEquals(ElementType.UINT8, u8.type());
        for (int i = 0; i < 6; i++) assertEquals(250 + i, u8.getLong(i));
        NdArray b = z.get("b1");
        assertEquals(ElementType.BOOL, b.type());
        assertEquals(1, b.getLong(0));
        assertEquals(0, b.getLong(1));
        assertEquals(-(1L << 40), z.get("i64").getLong(0));
        assertEquals(1L << 40, z.get("i64").getLong(2));
        NdArray be = z.get("be"); // stored big-endian, read into little-endian
        for (int i = 0; i < 5; i++) assertEquals(i / 4.0, be.getDouble(i));
    }

    @Test
    void fortranOrderIsRefusedWithAClearMessage() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Npy.read(Fixtures.resource("npy/fortran.npy")));
        assertTrue(e.getMessage().contains("fortran.npy") && e.getMessage().contains("Fortran order"), e.getMessage());
    }

    @Test
    void roundTripsEveryTypeAndReadsBackWithTheHeaderNumpyExpects(@TempDir Path dir) throws IOException {
        for (ElementType t : ElementType.values()) {
            NdArray a = NdArray.allocate(t, 3, 5);
            for (int i = 0; i < 15; i++) a.setLong(i, t == ElementType.BOOL ? i % 2 : i * 7 % 11);
            Path f = dir.resolve(t.typeName() + ".npy");
            Npy.write(f, a);
            byte[] raw = Files.readAllBytes(f);
            assertEquals(0, (raw.length - 15 * t.byteSize()) % 64, "data starts at a multiple of 64");
            String header = new String(raw, 10, 80, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("{'descr': '" + t.numpyDescr() + "', 'fortran_order': False, 'shape': (3, 5), }"),
                    header);
            NdArray b = Npy.read(f);
            assertEquals(t, b.type());
            assertArrayEquals(a.shape(), b.shape());
            for (int i = 0; i < 15; i++) assertEquals(a.getLong(i), b.getLong(i), t.typeName());
        }
        NdArray one = NdArray.allocate(ElementType.FLOAT32, 4);
        Npy.write(dir.resolve("one.npy"), one);
        String h = new String(Files.readAllBytes(dir.resolve("one.npy")), 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(h.contains("'shape': (4,), }"), h);
    }

    @Test
    void writerStreamsOffHeapPiecesAndRenamesOnlyWhenComplete(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("h3.npy");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate(4L * 10 * 8);
            try (NpyWriter w = NpyWriter.create(target, ElementType.FLOAT32, 30, 8)) {
                for (int b = 0; b < 3; b++) {
                    for (int i = 0; i < 80; i++) {
                        batch.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                                i, b * 80 + i + 0.5f);
                    }
                    w.append(batch);
                    assertFalse(Files.exists(target), "target appears only after finish");
                }
                w.finish();
            }
        }
        NdArray a = Npy.read(target);
        assertArrayEquals(new long[] {30, 8}, a.shape());
        for (int i = 0; i < 240; i++) assertEquals(i + 0.5, a.getDouble(i));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }

        Path partial = dir.resolve("partial.npy");
        try (NpyWriter w = NpyWriter.create(partial, ElementType.INT64, 4)) {
            w.append(MemorySegment.ofArray(new long[] {1, 2}));
            assertThrows(IllegalStateException.class, w::finish);
        }
        assertFalse(Files.exists(partial));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "an unfinished writer deletes its temporary file");
        }
    }

    @Test
    void npzRoundTripStoredAndDeflated(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        NdArray x = NdArray.allocate(ElementType.FLOAT64, 2, 2);
        for (int i = 0; i < 4; i++) x.setDouble(i, Math.PI * i);
        NdArray y = NdArray.allocate(ElementType.BOOL, 3);
        y.setLong(1, 1);
        m.put("x", x);
        m.put("y", y);
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("z" + compress + ".npz");
            Npz.write(f, m, compress);
            Map<String, NdArray> back = Npz.read(f);
            assertEquals(m.keySet(), back.keySet());
            for (int i = 0; i < 4; i++) assertEquals(Math.PI * i, back.get("x").getDouble(i));
            assertEquals(1, back.get("y").getLong(1));
        }
    }

    @Test
    void fixtureNpzHasTheDocumentedArrays() throws IOException {
        Map<String, NdArray> z = Npz.read(Fixtures.data().resolve("fashion-mnist-npz/test-200.npz"));
        assertEquals(ElementType.FLOAT32, z.get("pixel_values").type());
        assertArrayEquals(new long[] {200, 1, 28, 28}, z.get("pixel_values").shape());
        assertEquals(ElementType.INT64, z.get("labels").type());
        assertArrayEquals(new long[] {200}, z.get("labels").shape());
        // A value NumPy printed for sample 0, pixel (14, 10): read independently of rba.
        assertEquals(0.2562906f, (float) z.get("pixel_values").getDouble(14 * 28 + 10), 1e-7);
    }
}
