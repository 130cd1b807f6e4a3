package dev.rba.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpzDataTest {

    @Test
    void tokenIdsAndMaskGatheredInTheModelsTypes(@TempDir Path dir) throws IOException {
        NdArray ids = NdArray.allocate(ElementType.INT32, 5, 4);
        NdArray mask = NdArray.allocate(ElementType.BOOL, 5, 4);
        for (int i = 0; i < 20; i++) {
            ids.setLong(i, 100 + i);
            mask.setLong(i, i % 4 < 3 ? 1 : 0);
        }
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("input_ids", ids);
        m.put("attention_mask", mask);
        m.put("extra", NdArray.allocate(ElementType.UINT8, 5));
        Path f = dir.resolve("tokens.npz");
        Npz.write(f, m, true);
        List<ModelInputSpec> inputs = List.of(new ModelInputSpec("input_ids", "int64", new long[] {-1, -1}),
                new ModelInputSpec("attention_mask", "int64", new long[] {-1, -1}));
        CalibrationData d = DataSources.open(f, inputs, DataOptions.defaults(Map.of()));
        assertEquals(5, d.size());
        assertTrue(d.warnings().get(0).contains("extra"), d.warnings().toString());
        List<DataBatch> batches = new ArrayList<>();
        d.batches(2, new int[] {4, 0, 2}).forEach(batches::add);
        assertEquals(2, batches.size());
        Tensor t = batches.get(0).input("input_ids");
        assertEquals(ElementType.INT64, t.type());
        assertArrayEquals(new long[] {2, 4}, t.shape());
        assertEquals(2 * 4 * 8, t.data().capacity());
        double[] expect = {116, 117, 118, 119, 100, 101, 102, 103};
        for (int i = 0; i < 8; i++) assertEquals(expect[i], t.getDouble(i));
        Tensor mk = batches.get(1).input("attention_mask");
        assertArrayEquals(new long[] {1, 4}, mk.shape());
        assertEquals(1.0, mk.getDouble(0));
        assertEquals(0.0, mk.getDouble(3));
        assertNull(batches.get(0).labels());
        assertArrayEquals(new int[] {4, 0}, batches.get(0).sampleIndices());
    }

    @Test
    void fixtureNpzToAFloat16AndAFloat64Model() throws IOException {
        Path f = Fixtures.data().resolve("fashion-mnist-npz/test-200.npz");
        NdArray src = Npz.read(f).get("pixel_values");
        for (String type : new String[] {"float16", "float64"}) {
            List<ModelInputSpec> in = List.of(new ModelInputSpec("pixel_values", type, new long[] {-1, 1, 28, 28}));
            CalibrationData d = DataSources.open(f, in, DataOptions.defaults(Map.of()));
            assertTrue(d.hasLabels());
            DataBatch b = d.batches(3, new int[] {7, 8, 9}).iterator().next();
            Tensor t = b.input("pixel_values");
            assertEquals(ElementType.parse(type), t.type());
            for (int i = 0; i < 3 * 784; i++) {
                double v = src.getDouble(7 * 784 + i);
                double expect = type.equals("float16") ? Float.float16ToFloat(Float16.fromDouble(v)) : v;
                assertEquals(expect, t.getDouble(i), 0.0);
            }
            assertEquals(3, b.labels().length);
        }
    }

    /** uint8 0..255 pixels into a float image input: refused (before: converted silently and scored, 15.5% top-1). */
    @Test
    void integerPixelsIntoAFloatImageInputAreRefusedWithHowToSaveThem(@TempDir Path dir) throws IOException {
        IdxFile images = IdxFile.read(Fixtures.data().resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"));
        NdArray px = NdArray.allocate(ElementType.UINT8, 8, 1, 28, 28);
        for (int i = 0; i < 8 * 784; i++) px.setLong(i, images.data()[i] & 0xff);
        Path f = dir.resolve("u8.npz");
        Npz.write(f, Map.of("pixel_values", px), true);
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> DataSources.open(f, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)));
        assertTrue(e.getMessage().contains("is uint8") && e.getMessage().contains("no scaling")
                && e.getMessage().contains("x.astype('float32') / 255"), e.getMessage());
    }

    @Test
    void otherConversionsAreMadeWithANote(@TempDir Path dir) throws IOException {
        NdArray mask = NdArray.allocate(ElementType.INT64, 3, 4);
        for (int i = 0; i < 12; i++) mask.setLong(i, i % 4 < 2 ? 1 : 0);
        NdArray x = NdArray.allocate(ElementType.FLOAT64, 3, 4, 2);
        Path f = dir.resolve("mixed.npz");
        Npz.write(f, new LinkedHashMap<>(Map.of("features", x, "mask", mask)), true);
        List<ModelInputSpec> in = List.of(new ModelInputSpec("features", "float32", new long[] {-1, -1, 2}),
                new ModelInputSpec("mask", "float32", new long[] {-1, -1}));
        CalibrationData d = DataSources.open(f, in, DataOptions.defaults(Map.of()));
        assertEquals(2, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("'mask' (int64) converted to float32")), d.warnings().toString());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("'features' (float64) converted to float32")), d.warnings().toString());
        assertEquals(1.0, d.batches(3).iterator().next().input("mask").getDouble(1));
    }
}
