package dev.rba.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad-input case gives one InvalidInputException whose one-line message names the thing and the fix. */
class BadInputTest {

    private static InvalidInputException fails(org.junit.jupiter.api.function.Executable e, String... mustContain) {
        InvalidInputException ex = assertThrows(InvalidInputException.class, e);
        String m = ex.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String s : mustContain) assertTrue(m.contains(s), "'" + s + "' missing from: " + m);
        return ex;
    }

    private static Path npz(Path dir, String name, Map<String, NdArray> arrays) throws IOException {
        Path f = dir.resolve(name);
        Npz.write(f, arrays, false);
        return f;
    }

    @Test
    void npzShapeThatDoesNotFitTheModel(@TempDir Path dir) throws IOException {
        Path f = npz(dir, "wrong.npz", Map.of("pixel_values", NdArray.allocate(ElementType.FLOAT32, 200, 3, 32, 32)));
        fails(() -> DataSources.open(f, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)),
                "wrong.npz", "'pixel_values'", "[200,3,32,32]", "[N,1,28,28]");
    }

    /**
     * A model whose input fixes the batch at 1 (torch.onnx.export's default without dynamic_axes) is opened: every
     * pass runs it one sample at a time. One fixed at another size cannot run the last, partial batch of a pass and is
     * refused before any work, naming the input and the re-export; a fixed mask beside a dynamic image input counts.
     */
    @Test
    void modelWithAFixedBatch(@TempDir Path dir) throws IOException {
        Path f = npz(dir, "x.npz", Map.of("pixel_values", NdArray.allocate(ElementType.FLOAT32, 4, 1, 28, 28)));
        List<ModelInputSpec> one = List.of(new ModelInputSpec("pixel_values", "float", new long[] {1, 1, 28, 28}));
        assertEquals(4, DataSources.open(f, one, Fixtures.fmnistOptions(null)).size());
        assertEquals(1, FixedBatch.limit(one));
        assertEquals(FixedBatch.NONE, FixedBatch.limit(Fixtures.fmnistInputs()));
        assertEquals(1, FixedBatch.samplesPerRun(32, one));
        assertEquals(32, FixedBatch.samplesPerRun(32, Fixtures.fmnistInputs()));
        List<ModelInputSpec> textWithFixedMask = List.of(new ModelInputSpec("input_ids", "int64", new long[] {-1, -1}),
                new ModelInputSpec("attention_mask", "int64", new long[] {1, -1}));
        assertEquals(1, FixedBatch.limit(textWithFixedMask));
        assertTrue(FixedBatch.note(textWithFixedMask, 8).contains("'attention_mask' fixes the batch at 1 (shape [1,?])"));
        assertTrue(FixedBatch.note(one, 8).contains("not the 8 of --batch-size"), FixedBatch.note(one, 8));
        assertEquals(null, FixedBatch.note(Fixtures.fmnistInputs(), 8));

        List<ModelInputSpec> two = List.of(new ModelInputSpec("pixel_values", "float", new long[] {2, 1, 28, 28}));
        fails(() -> DataSources.open(f, two, Fixtures.fmnistOptions(null)),
                "'pixel_values'", "fixed batch of 2", "[2,1,28,28]", "dynamic_axes={'pixel_values': {0: 'batch'}}");
    }

    @Test
    void npzWithoutAnArrayForAnInput(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("images", NdArray.allocate(ElementType.FLOAT32, 2, 1, 28, 28));
        m.put("labels", NdArray.allocate(ElementType.INT64, 2));
        Path f = npz(dir, "named.npz", m);
        fails(() -> DataSources.open(f, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)),
                "named.npz", "'pixel_values'", "[images, labels]");
    }

    /** Values are checked on the rows a batch reads: the error names the file, the array, the index and the sample. */
    @Test
    void nanOrInfInFloatData(@TempDir Path dir) throws IOException {
        NdArray a = NdArray.allocate(ElementType.FLOAT32, 3, 1, 28, 28);
        a.setDouble(784 + 28 * 5 + 7, Double.NaN);
        Path f = npz(dir, "nan.npz", Map.of("pixel_values", a));
        CalibrationData d = DataSources.open(f, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null));
        assertEquals(2, d.batches(2, new int[] {0, 2}).iterator().next().size(), "samples 0 and 2 are finite");
        fails(() -> d.batches(2, new int[] {0, 1, 2}).forEach(b -> { }),
                "nan.npz", "'pixel_values'", "NaN", "[1, 0, 5, 7]", "sample 1");
        NdArray b = NdArray.allocate(ElementType.FLOAT16, 3, 1, 28, 28);
        b.setDouble(2, Double.NEGATIVE_INFINITY);
        Path g = dir.resolve("inf.npz");
        Npz.write(g, Map.of("pixel_values", b), true);
        fails(() -> DataSources.open(g, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)).batches(3).forEach(x -> { }),
                "inf.npz", "-Infinity", "[0, 0, 0, 2]", "sample 0");
    }

    @Test
    void floatDataForAnIntegerInputAndBadLabels(@TempDir Path dir) throws IOException {
        List<ModelInputSpec> ids = List.of(new ModelInputSpec("input_ids", "int64", new long[] {-1, -1}));
        Path f = npz(dir, "f.npz", Map.of("input_ids", NdArray.allocate(ElementType.FLOAT32, 2, 8)));
        fails(() -> DataSources.open(f, ids, Fixtures.fmnistOptions(null)), "'input_ids'", "float32", "int64");
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("input_ids", NdArray.allocate(ElementType.INT32, 2, 8));
        m.put("labels", NdArray.allocate(ElementType.FLOAT32, 2));
        Path g = npz(dir, "g.npz", m);
        fails(() -> DataSources.open(g, ids, Fixtures.fmnistOptions(null)), "g.npz", "'labels'");
    }

    @Test
    void emptyOrMissingFolder(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.createDirectory(empty.resolve("cat")); // a class folder without images is still empty data
        fails(() -> DataSources.open(empty, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)), "empty", "no .png");
        fails(() -> DataSources.open(dir.resolve("nope"), Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)),
                "nope", "does not exist");
        Path txt = Files.writeString(dir.resolve("data.txt"), "hello");
        fails(() -> DataSources.open(txt, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)), "data.txt");
    }

    private static Path folderWithOneBadImage(Path dir) throws IOException {
        Path root = dir.resolve("imgs");
        Path src = Fixtures.data().resolve("fashion-mnist-png/bag");
        Files.createDirectories(root.resolve("0"));  // class folders named by class index
        Files.createDirectories(root.resolve("1"));
        Files.copy(src.resolve("00018.png"), root.resolve("0/1.png"));
        Files.writeString(root.resolve("0/2.png"), "not a png at all");
        Files.copy(src.resolve("00053.png"), root.resolve("1/3.png"));
        Files.copy(src.resolve("00056.png"), root.resolve("1/4.png"));
        return root;
    }

    @Test
    void undecodableImageStopsNamingTheFile(@TempDir Path dir) throws IOException {
        Path root = folderWithOneBadImage(dir);
        CalibrationData d = DataSources.open(root, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null));
        fails(() -> d.batches(2).forEach(b -> { }), "2.png", "skip-bad-images");
    }

    @Test
    void undecodableImageSkippedAndCounted(@TempDir Path dir) throws IOException {
        Path root = folderWithOneBadImage(dir);
        DataOptions skip = new DataOptions(null, true, ImageOptions.defaults(), Fixtures.FMNIST_META);
        CalibrationData d = DataSources.open(root, Fixtures.fmnistInputs(), skip);
        assertEquals(4, d.size());
        List<DataBatch> batches = new ArrayList<>();
        d.batches(2).forEach(batches::add);
        assertEquals(2, batches.size());
        assertEquals(2, batches.get(0).size(), "the next image takes the bad one's place");
        assertEquals(1, batches.get(1).size());
        assertEquals(List.of(0, 1, 1), List.of(batches.get(0).labels()[0], batches.get(0).labels()[1],
                batches.get(1).labels()[0]));
        assertEquals(1, d.skippedSamples());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("skipped 1") && w.contains("2.png")), d.warnings().toString());
    }

    @Test
    void idxMagicWrongAndAmbiguousFolder(@TempDir Path dir) throws IOException {
        Path bad = Files.write(dir.resolve("x-images-idx3-ubyte"), new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        fails(() -> DataSources.open(bad, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)),
                "x-images-idx3-ubyte", "magic 01 02 03 04");
        Path floats = Files.write(dir.resolve("f-images-idx3-ubyte"), new byte[] {0, 0, 0x0d, 3, 0, 0, 0, 0});
        fails(() -> DataSources.open(floats, Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null)), "0xd");
        fails(() -> DataSources.open(Fixtures.data().resolve("fashion-mnist"), Fixtures.fmnistInputs(),
                Fixtures.fmnistOptions(null)), "--split");
    }

    @Test
    void imagesForAModelWithSeveralInputs() {
        List<ModelInputSpec> two = List.of(new ModelInputSpec("input_ids", "int64", new long[] {-1, -1}),
                new ModelInputSpec("attention_mask", "int64", new long[] {-1, -1}));
        fails(() -> DataSources.open(Fixtures.data().resolve("fashion-mnist-png"), two, Fixtures.fmnistOptions(null)),
                "2 inputs", "input_ids", ".npz");
    }
}
