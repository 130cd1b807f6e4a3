package dev.rba.core.data;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePreprocessingTest {

    private static RasterImage gray(int w, int h, float... p) {
        return new RasterImage(w, h, 1, p);
    }

    @Test
    void bilinearUpscaleMatchesHalfPixelClosedForm() {
        // Output x samples input at max(0, (x+0.5)/2 - 0.5): 0, 0.25, 0.75, 1.25→clamped neighbour → 0, .25, .75, 1.
        RasterImage out = ImageOps.resize(gray(2, 2, 0, 10, 20, 30), 4, 4);
        float[] row0 = {0, 2.5f, 7.5f, 10};
        float[] col = {0, 5, 15, 20};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) assertEquals(row0[x] + col[y], out.get(x, y, 0), 1e-5, x + "," + y);
        }
    }

    @Test
    void bilinearDownscaleByTwoAveragesPixelPairs() {
        float[] p = new float[16];
        for (int i = 0; i < 16; i++) p[i] = i * i; // not linear, so the sample points matter
        RasterImage out = ImageOps.resize(gray(4, 4, p), 2, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                double expect = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) expect += p[(2 * y + dy) * 4 + 2 * x + dx] / 4.0;
                }
                assertEquals(expect, out.get(x, y, 0), 1e-4);
            }
        }
    }

    @Test
    void resizeShorterSideKeepsAspectAndCropTakesTheCentre() {
        RasterImage img = new RasterImage(40, 20, 3, new float[40 * 20 * 3]);
        RasterImage r = ImageOps.resizeShorterSide(img, 10);
        assertEquals(20, r.width());
        assertEquals(10, r.height());
        float[] p = new float[5 * 3];
        for (int i = 0; i < p.length; i++) p[i] = i;
        RasterImage c = ImageOps.centerCrop(gray(5, 3, p), 3, 1);
        assertArrayEquals(new float[] {6, 7, 8}, c.pixels()); // left (5-3)/2 = 1, top (3-1)/2 = 1
    }

    @Test
    void channelConversions() {
        RasterImage rgb = ImageOps.toChannels(gray(1, 1, 100), 3);
        assertArrayEquals(new float[] {100, 100, 100}, rgb.pixels());
        RasterImage g = ImageOps.toChannels(new RasterImage(1, 1, 3, new float[] {200, 100, 50}), 1);
        assertEquals(0.299 * 200 + 0.587 * 100 + 0.114 * 50, g.pixels()[0], 1e-4);
    }

    private static float[] run(ImagePreprocessing p, RasterImage img, ElementType t, long[] shapeOut) {
        ImagePreprocessing.Sample s = p.prepare(img, "test");
        long[] shape = p.batchShape(1, s.height(), s.width());
        System.arraycopy(shape, 0, shapeOut, 0, 4);
        ByteBuffer buf = ByteBuffer.allocateDirect((int) NdArray.elementCount(shape) * t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        p.write(s, MemorySegment.ofBuffer(buf), 0);
        float[] out = new float[(int) NdArray.elementCount(shape)];
        for (int i = 0; i < out.length; i++) out[i] = (float) Elements.getDouble(MemorySegment.ofBuffer(buf), t, i);
        return out;
    }

    @Test
    void nchwRgbWithPerChannelMeanStd() {
        ModelInputSpec in = new ModelInputSpec("x", "float32", new long[] {-1, 3, 1, 2});
        ImageOptions o = new ImageOptions(null, null, null, null, new double[] {0.5, 0.25, 0}, new double[] {0.5, 0.25, 1},
                null, null);
        ImagePreprocessing p = ImagePreprocessing.resolve(in, Map.of(), o, new ArrayList<>());
        assertEquals(TensorLayout.NCHW, p.layout());
        RasterImage img = new RasterImage(2, 1, 3, new float[] {255, 0, 51, 0, 255, 102});
        long[] shape = new long[4];
        float[] v = run(p, img, ElementType.FLOAT32, shape);
        assertArrayEquals(new long[] {1, 3, 1, 2}, shape);
        // R plane: (1-0.5)/0.5, (0-0.5)/0.5; G plane: (0-0.25)/0.25, (1-0.25)/0.25; B plane: 0.2, 0.4.
        assertArrayEquals(new float[] {1, -1, -1, 3, 0.2f, 0.4f}, v, 1e-6f);
    }

    @Test
    void nhwcBgrFromMetadataAndFloat16Output() {
        ModelInputSpec in = new ModelInputSpec("x", "float16", new long[] {1, 2, 2, 3});
        Map<String, String> meta = Map.of("rba.input.mean", "0", "rba.input.std", "1,1,1", "rba.input.scale", "1/255");
        ImageOptions o = new ImageOptions(null, null, null, null, null, null, ChannelOrder.BGR, null);
        List<String> warnings = new ArrayList<>();
        ImagePreprocessing p = ImagePreprocessing.resolve(in, meta, o, warnings);
        assertEquals(TensorLayout.NHWC, p.layout()); // the 3 is last and position 1 holds a 2
        assertTrue(warnings.isEmpty(), warnings.toString());
        RasterImage img = new RasterImage(2, 2, 3, new float[] {255, 0, 51, 0, 255, 102, 1, 2, 3, 4, 5, 6});
        long[] shape = new long[4];
        float[] v = run(p, img, ElementType.FLOAT16, shape);
        assertArrayEquals(new long[] {1, 2, 2, 3}, shape);
        float[] expectBytes = {51, 0, 255, 102, 255, 0, 3, 2, 1, 6, 5, 4}; // B, G, R per pixel
        for (int i = 0; i < 12; i++) {
            assertEquals(Float.float16ToFloat(Float16.fromDouble(expectBytes[i] / 255.0)), v[i], 1e-7f, "element " + i);
        }
    }

    @Test
    void missingMeanStdWarnsOnceAndUsesZeroOne() {
        ModelInputSpec in = new ModelInputSpec("x", "float32", new long[] {-1, 1, 2, 2});
        List<String> warnings = new ArrayList<>();
        ImagePreprocessing p = ImagePreprocessing.resolve(in, Map.of(), ImageOptions.defaults(), warnings);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("'x'") && warnings.get(0).contains("rba.input.mean"), warnings.get(0));
        float[] v = run(p, gray(2, 2, 0, 51, 102, 255), ElementType.FLOAT32, new long[4]);
        assertArrayEquals(new float[] {0, 0.2f, 0.4f, 1}, v, 1e-6f);
    }

    @Test
    void greyImageResizedAndCroppedForAThreeChannelModel() {
        ModelInputSpec in = new ModelInputSpec("x", "float32", new long[] {-1, 3, 2, 2});
        ImagePreprocessing p = ImagePreprocessing.resolve(in, Map.of("rba.input.mean", "0", "rba.input.std", "1",
                "rba.input.scale", "1"), ImageOptions.defaults(), new ArrayList<>());
        // 4x2 image: shorter side 2 already equals max(H, W), so only the centre 2x2 is kept.
        long[] shape = new long[4];
        float[] v = run(p, gray(4, 2, 1, 2, 3, 4, 5, 6, 7, 8), ElementType.FLOAT32, shape);
        assertArrayEquals(new long[] {1, 3, 2, 2}, shape);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(new float[] {2, 3, 6, 7}, java.util.Arrays.copyOfRange(v, 4 * c, 4 * c + 4));
        }
    }

    @Test
    void badSettingsAreOneLineErrors() {
        ModelInputSpec in = new ModelInputSpec("x", "float32", new long[] {-1, 3, 8, 8});
        ImageOptions twoMeans = new ImageOptions(null, null, null, null, new double[] {1, 2}, null, null, null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImagePreprocessing.resolve(in, Map.of(), twoMeans, new ArrayList<>()));
        assertTrue(e.getMessage().contains("2 values") && e.getMessage().contains("3 channels"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ImagePreprocessing.resolve(in,
                Map.of("rba.input.std", "0"), ImageOptions.defaults(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        ModelInputSpec tokens = new ModelInputSpec("input_ids", "int64", new long[] {-1, -1});
        e = assertThrows(InvalidInputException.class,
                () -> ImagePreprocessing.resolve(tokens, Map.of(), ImageOptions.defaults(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("input_ids") && e.getMessage().contains(".npz"), e.getMessage());
        assertEquals(1.0 / 255, ImagePreprocessing.parseScale("1/255"));
        assertEquals(0.5, ImagePreprocessing.parseScale(" 0.5 "));
        for (String bad : new String[] {"0", "-1/255", "1/0", "x", "1/"}) {   // a zero or negative scale is no image
            e = assertThrows(InvalidInputException.class, () -> ImagePreprocessing.parseScale(bad));
            assertTrue(e.getMessage().contains("rba.input.scale='" + bad + "'"), e.getMessage());
        }
    }
}
