package dev.rba.core.analysis;
import dev.rba.core.tools.HeatmapPng;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npy;
import dev.rba.core.linalg.JavaBackend;
import dev.rba.core.pipeline.ActivationExport;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.onnx.CaptureTarget;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibration pass and the analysis on the Fashion-MNIST ViT fixture (8 blocks, d=64, 50 tokens), checked against
 * references computed here with plain double loops from the activations themselves, read back from the .npy export
 * (whose bytes are in turn checked against a direct capture).
 */
class RedundancyAnalysisFixtureTest {
    static final int SAMPLES = 48;
    static final int BATCH = 16;

    static OnnxLoadedModel model;
    static CalibrationData data;
    static int[] indices;
    static CalibrationResult pass;
    /** h_k as [samples][tokens][d] doubles, from the .npy export. */
    static double[][][][] h;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void run() throws Exception {
        model = OnnxLoadedModel.open(fixture("models/vit_fmnist_b8.onnx"), null);
        data = DataSources.open(fixture("data/fashion-mnist"), model.inputSpecs(),
                new DataOptions("test", false, null, model.metadata()));
        indices = dev.rba.core.data.SampleSplit.seeded(data.size(), SAMPLES, 0, 7).fit();
        try (JavaBackend backend = new JavaBackend()) {
            CalibrationOptions options = CalibrationOptions.defaults().withBatchSize(BATCH).withSimilarityTokens(TokenSelection.CLS);
            pass = CalibrationPass.run(model, data, indices, backend, options, null, null);
        }
        int streams = model.blockCount() + 1;
        int[] all = new int[streams];
        for (int k = 0; k < streams; k++) all[k] = k;
        ActivationExport.Result r = ActivationExport.export(model, data, indices, all, tmp.resolve("npy"),
                new ActivationExport.Options(TokenSelection.ALL, BATCH, 0, false), null);
        h = new double[streams][][][];
        for (int k = 0; k < streams; k++) {
            NdArray a = Npy.read(r.hFiles().get(k));
            assertArrayEquals(new long[] {SAMPLES, 50, 64}, a.shape());
            h[k] = new double[SAMPLES][50][64];
            for (int s = 0; s < SAMPLES; s++) for (int t = 0; t < 50; t++) for (int c = 0; c < 64; c++) {
                h[k][s][t][c] = a.getDouble(((long) s * 50 + t) * 64 + c);
            }
        }
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static Path fixture(String rel) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("fixtures").resolve(rel);
            if (Files.exists(f)) return f;
        }
        throw new IllegalStateException("fixture " + rel + " not found");
    }

    @Test
    void passReportsWhatItSawAndWhereTimeWent() {
        assertEquals(SAMPLES, pass.samples());
        assertEquals(SAMPLES * 50L, pass.fitStatistics().rows());
        assertEquals(SAMPLES, pass.similarityStatistics().rows());
        assertEquals(TokenSelection.CLS, pass.summaryToken().token(), "50 tokens = 49 patches + CLS");
        assertNotNull(pass.labels());
        assertEquals(SAMPLES, pass.labels().length);
        assertTrue(pass.timings().forwardSeconds() > 0 && pass.timings().statisticsSeconds() > 0);
        assertEquals(model.boundaryNames(), pass.fitStatistics().names());
    }

    @Test
    void exportedActivationsEqualADirectCapture() {
        // the first batch captured straight from ActivationCapture, bit for bit against the .npy values
        CaptureTarget t = CaptureTarget.of(model);
        float[][] first = new float[t.boundaryNames().size()][];
        try (ActivationCapture cap = ActivationCapture.open(t.proto(), t.dataFolder(), t.boundaryNames(), t.shape(), CaptureOptions.batchSize(BATCH))) {
            CalibrationInputs in = new CalibrationInputs(data, java.util.Arrays.copyOf(indices, BATCH), BATCH);
            cap.run(in, b -> {
                for (int k = 0; k < first.length; k++) first[k] = b.h(k).asSlice(0, (long) BATCH * 50 * 64 * 4).toArray(ValueLayout.JAVA_FLOAT);
            });
        }
        for (int k = 0; k < first.length; k++) {
            for (int s = 0; s < BATCH; s++) for (int tk = 0; tk < 50; tk++) for (int c = 0; c < 64; c++) {
                assertEquals(first[k][(s * 50 + tk) * 64 + c], (float) h[k][s][tk][c], "h_" + k + " sample " + s);
            }
        }
    }

    @Test
    void blockRedundancyMatchesDoubleLoops() {
        RedundancyReport report = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.similarityStatistics(), AnalysisOptions.all());
        assertEquals(8 * 9 / 2, report.spans().size());
        double previous = Double.POSITIVE_INFINITY;
        for (SpanScore s : report.spans()) {
            double ref = 0;
            for (int n = 0; n < SAMPLES; n++) {
                for (int c = 0; c < 64; c++) {
                    double diff = h[s.asSpan().outputBoundary()][n][0][c] - h[s.asSpan().inputBoundary()][n][0][c];
                    ref += diff * diff;
                }
            }
            ref = -ref / SAMPLES;
            assertEquals(ref, s.br(), 1e-6 * Math.abs(ref), s.label());
            assertTrue(s.br() <= previous, "ranked best first");
            previous = s.br();
        }
        assertTrue(report.spans().getFirst().label().startsWith("block"));
    }

    @Test
    void allTokenCkaAndClsCosineAndMseMatchDoubleLoops() {
        RedundancyReport report = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.similarityStatistics(), AnalysisOptions.all());
        SimilarityTable cosine = table(report, "cosine");
        SimilarityTable mse = table(report, "mse");
        SimilarityTable clsCka = table(report, "cka");
        assertEquals("cls", cosine.tokens());
        // class-token CKA (one row per sample) is taken in sample space: no joint Gram of the 9 streams
        assertTrue(pass.similarityStatistics().hasSampleSpaceCka() && !pass.similarityStatistics().plan().grams());
        // CKA over all tokens comes from the fit statistics
        RedundancyReport allTokens = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.fitStatistics(),
                new AnalysisOptions(EnumSet.of(AnalysisMetric.CKA), 0));
        SimilarityTable cka = table(allTokens, "cka");
        assertEquals("all", cka.tokens());
        int[][] pairs = {{0, 1}, {0, 8}, {3, 5}, {6, 7}, {2, 8}};
        for (int[] p : pairs) {
            double[][] x = rows(h[p[0]], false);
            double[][] y = rows(h[p[1]], false);
            assertEquals(linearCka(x, y), cka.values()[p[0]][p[1]], 1e-5, "CKA h_" + p[0] + ", h_" + p[1]);
            double[][] xc = rows(h[p[0]], true);
            double[][] yc = rows(h[p[1]], true);
            if (p[0] != 0) {   // h_0's class token is constant: its CKA is n/a (ckaOfAConstantStreamIsNotANumber)
                assertEquals(linearCka(xc, yc), clsCka.values()[p[0]][p[1]], 1e-9, "class-token CKA h_" + p[0] + ", h_" + p[1]);
            }
            double cos = 0;
            double sq = 0;
            for (int r = 0; r < xc.length; r++) {
                double dot = 0, nx = 0, ny = 0;
                for (int c = 0; c < 64; c++) {
                    dot += xc[r][c] * yc[r][c];
                    nx += xc[r][c] * xc[r][c];
                    ny += yc[r][c] * yc[r][c];
                    sq += (yc[r][c] - xc[r][c]) * (yc[r][c] - xc[r][c]);
                }
                cos += dot / Math.sqrt(nx * ny);
            }
            assertEquals(cos / xc.length, cosine.values()[p[0]][p[1]], 1e-6);
            double refMse = sq / (xc.length * 64.0);
            assertEquals(refMse, mse.values()[p[0]][p[1]], 1e-6 * refMse);
        }
    }

    @Test
    void ckaOfAConstantStreamIsNotANumber() {
        // h_0's class token is the class embedding plus position 0's: the same for every image
        for (int n = 1; n < SAMPLES; n++) assertArrayEquals(h[0][0][0], h[0][n][0], 1e-6);
        RedundancyReport report = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.similarityStatistics(), AnalysisOptions.all());
        double[][] cka = table(report, "cka").values();
        assertTrue(Double.isNaN(cka[0][1]) && Double.isNaN(cka[5][0]), "CKA of a constant stream is 0/0");
        assertTrue(cka[1][2] > 0 && cka[1][2] <= 1 + 1e-9);
    }

    @Test
    void savedStatisticsGiveTheSameAnalysis() throws Exception {
        Path file = tmp.resolve("stats.bin");
        pass.fitStatistics().save(file);
        StreamStatistics loaded = StreamStatistics.load(file);
        RedundancyReport a = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.fitStatistics(), AnalysisOptions.all());
        RedundancyReport b = RedundancyAnalysis.analyze(loaded, loaded, AnalysisOptions.all());
        assertEquals(a.spans(), b.spans());
        for (int m = 0; m < a.matrices().size(); m++) {
            for (int i = 0; i < a.matrices().get(m).size(); i++) {
                assertArrayEquals(a.matrices().get(m).values()[i], b.matrices().get(m).values()[i]);
            }
        }
    }

    @Test
    void heatmapDecodesWithOnePanelPerMetric() throws Exception {
        RedundancyReport report = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.similarityStatistics(), AnalysisOptions.all());
        Path png = tmp.resolve("heat.png");
        int[] size = HeatmapPng.write(png, report.matrices(), "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(size[0], img.getWidth());
        assertEquals(size[1], img.getHeight());
        int[] one = HeatmapPng.write(tmp.resolve("one.png"), List.of(report.matrices().getFirst()), null);
        assertEquals(2 * one[0], img.getWidth(), "four panels, two per row");
        assertEquals(2 * one[1] + 30, img.getHeight());
    }

    static SimilarityTable table(RedundancyReport r, String metric) {
        for (SimilarityTable t : r.matrices()) if (t.metric().equals(metric)) return t;
        throw new AssertionError("no " + metric);
    }

    /** Rows [samples*tokens, d], or only token 0 of each sample. */
    static double[][] rows(double[][][] hk, boolean clsOnly) {
        List<double[]> out = new ArrayList<>();
        for (double[][] sample : hk) {
            if (clsOnly) out.add(sample[0]);
            else for (double[] tok : sample) out.add(tok);
        }
        return out.toArray(double[][]::new);
    }

    /** ||Xc^T Yc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F) with explicitly centred columns. */
    static double linearCka(double[][] x, double[][] y) {
        double[][] xc = centre(x);
        double[][] yc = centre(y);
        return frob2(cross(xc, yc)) / Math.sqrt(frob2(cross(xc, xc)) * frob2(cross(yc, yc)));
    }

    static double[][] centre(double[][] a) {
        int n = a.length, d = a[0].length;
        double[] mean = new double[d];
        for (double[] r : a) for (int c = 0; c < d; c++) mean[c] += r[c] / n;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) out[i][c] = a[i][c] - mean[c];
        return out;
    }

    static double[][] cross(double[][] a, double[][] b) {
        int d = a[0].length;
        double[][] out = new double[d][d];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < d; i++) {
                double ai = a[r][i];
                for (int j = 0; j < d; j++) out[i][j] += ai * b[r][j];
            }
        }
        return out;
    }

    static double frob2(double[][] m) {
        double s = 0;
        for (double[] r : m) for (double v : r) s += v * v;
        return s;
    }

    /** analyze's default pass keeps only the class-token rows; its Block Redundancy must equal the all-token pass's. */
    @Test
    void passWithoutAllTokenGramsGivesTheSameBlockRedundancy() throws Exception {
        CalibrationResult light;
        try (JavaBackend backend = new JavaBackend()) {
            CalibrationOptions options = CalibrationOptions.defaults().withBatchSize(BATCH).withSimilarityTokens(TokenSelection.CLS)
                    .withAllTokenGrams(false);
            light = CalibrationPass.run(model, data, indices, backend, options, null, null);
        }
        assertEquals(SAMPLES, light.fitStatistics().rows(), "one class-token row per sample, no all-token rows");
        assertTrue(pass.fitStatistics().rows() == (long) SAMPLES * 50, "the full pass saw every token");
        AnalysisOptions options = AnalysisOptions.all();
        RedundancyReport full = RedundancyAnalysis.analyze(pass.fitStatistics(), pass.similarityStatistics(), options);
        RedundancyReport cheap = RedundancyAnalysis.analyze(light.fitStatistics(), light.similarityStatistics(), options);
        assertEquals(full.spans().size(), cheap.spans().size());
        // matched by span, not by place: the list is sorted by BR, and spans whose BR ties within the noise below
        // may trade places between two passes
        Map<String, Double> cheapBr = new HashMap<>();
        for (SpanScore b : cheap.spans()) cheapBr.put(b.span(), b.br());
        for (SpanScore a : full.spans()) {
            assertTrue(cheapBr.containsKey(a.span()), "span " + a.span() + " in both reports");
            // two separate ONNX Runtime passes: its thread pool may split a product differently under load, which moves
            // the fp32 activations by a rounding or so (observed: 1e-8 of BR, relative); the sums themselves are fp64
            assertEquals(a.br(), cheapBr.get(a.span()), 1e-6 * Math.abs(a.br()), "BR of " + a.span());
        }
    }
}
