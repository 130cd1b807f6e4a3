package dev.rba.core.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three fixture formats hold the same Fashion-MNIST test images (tools/fixtures/make_data.py): the npz is
 * 20 per class of the IDX test subset, normalised with the models' mean/std; the PNGs are IDX test images named
 * by their original index (source-indices-t10k.txt maps subset position to it).
 */
class FixtureConsistencyTest {
    private static final int PIXELS = 28 * 28;

    private static float[] all(CalibrationData d, List<int[]> labelsOut) {
        float[] out = new float[d.size() * PIXELS];
        int at = 0;
        for (DataBatch b : d.batches(128)) {
            Tensor t = b.input("pixel_values");
            assertEquals(ElementType.FLOAT32, t.type());
            for (int i = 0; i < t.elementCount(); i++) out[at++] = (float) t.getDouble(i);
            if (labelsOut != null) labelsOut.add(b.labels());
        }
        assertEquals(out.length, at);
        return out;
    }

    @Test
    void idxFolderWithSplitReadsTheDocumentedSubsets() throws IOException {
        Path dir = Fixtures.data().resolve("fashion-mnist");
        CalibrationData train = DataSources.open(dir, Fixtures.fmnistInputs(), Fixtures.fmnistOptions("train"));
        CalibrationData test = DataSources.open(dir, Fixtures.fmnistInputs(), Fixtures.fmnistOptions("test"));
        assertEquals(1000, train.size());
        assertEquals(2000, test.size());
        assertTrue(test.warnings().isEmpty(), test.warnings().toString());
        int[] perClass = new int[10];
        for (DataBatch b : test.batches(500)) {
            assertArrayEquals(new long[] {b.size(), 1, 28, 28}, b.input("pixel_values").shape());
            for (int l : b.labels()) perClass[l]++;
        }
        for (int c = 0; c < 10; c++) assertEquals(200, perClass[c], "class " + c); // stratified 200 per class
        assertEquals(10, test.classNames().size());
    }

    @Test
    void npzEqualsIdxImagesNormalisedWithTheModelMetadata() throws IOException {
        CalibrationData idx = DataSources.open(Fixtures.data().resolve("fashion-mnist"), Fixtures.fmnistInputs(),
                Fixtures.fmnistOptions("test"));
        CalibrationData npz = DataSources.open(Fixtures.data().resolve("fashion-mnist-npz/test-200.npz"),
                Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null));
        assertEquals(200, npz.size());
        List<int[]> idxLabelBatches = new ArrayList<>();
        List<int[]> npzLabelBatches = new ArrayList<>();
        float[] a = all(idx, idxLabelBatches);
        float[] b = all(npz, npzLabelBatches);
        int[] idxLabels = idxLabelBatches.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        int[] npzLabels = npzLabelBatches.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        // The npz samples are a subset of the IDX test images kept in subset order: match each to the next IDX image
        // whose normalised pixels agree (float32 arithmetic differs only in the last bits).
        int pos = 0;
        int[] perClass = new int[10];
        for (int s = 0; s < 200; s++) {
            while (pos < 2000 && !same(a, pos, b, s)) pos++;
            assertTrue(pos < 2000, "npz sample " + s + " matches no later IDX test image");
            assertEquals(idxLabels[pos], npzLabels[s], "label of npz sample " + s);
            perClass[npzLabels[s]]++;
            pos++;
        }
        for (int c = 0; c < 10; c++) assertEquals(20, perClass[c]);
    }

    private static boolean same(float[] a, int ia, float[] b, int ib) {
        for (int p = 0; p < PIXELS; p++) {
            if (Math.abs(a[ia * PIXELS + p] - b[ib * PIXELS + p]) > 2e-6f) return false;
        }
        return true;
    }

    @Test
    void pngsDecodeToTheIdxPixelsOfTheSameImages() throws IOException {
        Path data = Fixtures.data();
        IdxFile images = IdxFile.read(data.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"));
        IdxFile labels = IdxFile.read(data.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        List<String> lines = Files.readAllLines(data.resolve("fashion-mnist/source-indices-t10k.txt"));
        Map<Integer, Integer> positionOfOriginal = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) positionOfOriginal.put(Integer.parseInt(lines.get(i).strip()), i);

        Path pngRoot = data.resolve("fashion-mnist-png");
        int checked = 0;
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(pngRoot)) {
            classDirs = s.sorted().toList();
        }
        for (Path dir : classDirs) {
            int folderClass = -1;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path png : s.sorted().toList()) {
                    int original = Integer.parseInt(png.getFileName().toString().replace(".png", ""));
                    int pos = positionOfOriginal.get(original);
                    RasterImage img = ImageDecoding.decode(png);
                    assertEquals(1, img.channels(), png + " is 8-bit grey");
                    for (int p = 0; p < PIXELS; p++) {
                        assertEquals(images.data()[pos * PIXELS + p] & 0xff, img.pixels()[p], png + " pixel " + p);
                    }
                    int label = labels.data()[pos] & 0xff;
                    if (folderClass < 0) folderClass = label;
                    assertEquals(folderClass, label, "every image in " + dir + " has one IDX label");
                    checked++;
                }
            }
        }
        assertEquals(50, checked);
    }

    @Test
    void imageFolderLoaderGivesTheSameTensorsAsTheIdxLoader() throws IOException {
        Path data = Fixtures.data();
        CalibrationData folder = DataSources.open(data.resolve("fashion-mnist-png"), Fixtures.fmnistInputs(),
                Fixtures.fmnistOptions(null));
        assertEquals(50, folder.size());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), folder.classNames(), "the model's names, in its order");
        assertTrue(folder.warnings().isEmpty(), folder.warnings().toString());
        CalibrationData idx = DataSources.open(data.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"),
                Fixtures.fmnistInputs(), Fixtures.fmnistOptions(null));
        List<int[]> idxLabelBatches = new ArrayList<>();
        float[] idxAll = all(idx, idxLabelBatches);
        int[] idxLabels = idxLabelBatches.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        List<String> lines = Files.readAllLines(data.resolve("fashion-mnist/source-indices-t10k.txt"));
        List<Integer> originals = lines.stream().map(l -> Integer.parseInt(l.strip())).toList();

        List<int[]> folderLabels = new ArrayList<>();
        float[] f = all(folder, folderLabels);
        int[] labels = folderLabels.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        ImageFolderData fd = (ImageFolderData) folder;
        for (int s = 0; s < 50; s++) {
            String name = fd.file(s).getFileName().toString();
            int pos = originals.indexOf(Integer.parseInt(name.replace(".png", "")));
            for (int p = 0; p < PIXELS; p++) assertEquals(idxAll[pos * PIXELS + p], f[s * PIXELS + p], name);
            // Folders sort as ankle_boot, bag, ...: the label must be the IDX label of the same image, not the
            // folder's sort position (which gave 40% top-1 on a model scoring 92% on these images).
            assertEquals(idxLabels[pos], labels[s], name + " in " + fd.file(s).getParent().getFileName());
        }
        // Normalisation is (x/255 - 0.2860)/0.3530: a black pixel gives -0.2860/0.3530.
        float min = Float.MAX_VALUE;
        for (float v : f) min = Math.min(min, v);
        assertEquals(-0.2860 / 0.3530, min, 1e-6);
        assertFalse(folder.warnings().stream().anyMatch(w -> w.contains("mean")));
    }
}
