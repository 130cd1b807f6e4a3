package dev.rba.cli;

import dev.rba.core.analysis.AnalysisOptions;
import dev.rba.core.analysis.RedundancyAnalysis;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.stats.StreamStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {
    static final String VIT = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx").toString();
    static final String IDX = CliRunner.FIXTURES.resolve("data/fashion-mnist").toString();

    @Test
    void writesReportHeatmapAndStatisticsThatAgree(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Path png = dir.resolve("heat.png");
        Path stats = dir.resolve("stats.rbastats");
        CliRunner r = CliRunner.run("analyze", VIT, "--data", IDX, "--split", "test", "--samples", "40", "--batch-size", "20",
                "--tokens", "all", "--backend", "java", "--report", report.toString(), "--heatmap", png.toString(),
                "--save-stats", stats.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Most redundant spans"), r.out());
        assertTrue(r.out().contains("h_0..h_8"), r.out());
        assertTrue(r.out().contains("rel. change (all tokens)"), "with all-token statistics: " + r.out());
        assertTrue(r.out().contains("padding mask: none"), r.out());
        assertTrue(r.out().contains("ONNX Runtime") && r.out().contains("statistics"), "timing split printed: " + r.out());
        assertTrue(r.err().contains("backend java"), "says which backend runs: " + r.err());

        String json = Files.readString(report);
        assertTrue(json.contains("\"samples\": 40"), json);
        assertEquals(36, count(json, "\"span\": "), "every span of 8 blocks is in the report");
        assertTrue(json.contains("\"cosine\"") && json.contains("\"cka\"") && json.contains("\"mse\"") && json.contains("\"br\""));

        // the statistics file reproduces the reported ranking exactly
        StreamStatistics loaded = StreamStatistics.load(stats);
        RedundancyReport again = RedundancyAnalysis.analyze(loaded, loaded, AnalysisOptions.all());
        SpanScore best = again.spans().getFirst();
        Matcher m = Pattern.compile("\"rank\": 1,\\s*\"span\": \"([0-9-]+)\".*?\"br\": ([-0-9.Ee]+)", Pattern.DOTALL).matcher(json);
        assertTrue(m.find(), json);
        assertEquals(best.span(), m.group(1));
        assertEquals(best.br(), Double.parseDouble(m.group(2)));

        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(json.contains("(" + img.getWidth() + "x" + img.getHeight() + ")"), "reported size matches the PNG");
        assertTrue(img.getWidth() > 600 && img.getHeight() > 600);
    }

    @Test
    void jsonOutputWithChosenMetricsAndMaxSpan() {
        CliRunner r = CliRunner.run("analyze", VIT, "--data", IDX, "--split", "test", "--samples", "24", "--batch-size", "12",
                "--metric", "br,cka", "--max-span", "2", "--json", "-q");
        assertEquals(0, r.exitCode(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertEquals(8 + 7, count(json, "\"span\": "), "spans of length 1 and 2 only");
        // analyze's default pass keeps one class-token row per sample: the relative change is over those rows
        assertEquals(8 + 7, count(json, "\"relative_change_rows\": \"cls token\""), json);
        assertTrue(json.contains("\"padding_mask\"") && json.contains("\"input\": null"), json);
        assertTrue(json.contains("\"cka\"") && !json.contains("\"cosine\""), json);
        assertTrue(json.contains("\"similarity_tokens\": \"cls\""), "default similarity tokens = the BR token: " + json);
        assertTrue(r.err().isBlank(), "--quiet prints nothing on stderr: " + r.err());
    }

    @Test
    void givenSummaryTokenIsTheOneBrReads() {
        CliRunner r = CliRunner.run("analyze", VIT, "--data", IDX, "--split", "test", "--samples", "12", "--metric", "br",
                "--max-span", "1", "--summary-token", "MEAN", "--json", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"token\": \"mean\"") && r.out().contains("given with --summary-token"), r.out());
        assertTrue(r.out().contains("\"similarity_tokens\": \"mean\""), "similarity follows the BR token: " + r.out());
    }

    @Test
    void withoutCkaThePassKeepsNoGramAndReportsTheSameSpans() {
        String[] common = {"analyze", VIT, "--data", IDX, "--split", "test", "--samples", "24", "--batch-size", "12",
                "--max-span", "2", "--json", "-q"};
        CliRunner withCka = CliRunner.run(concat(common, "--metric", "br,cosine,cka,mse"));
        CliRunner without = CliRunner.run(concat(common, "--metric", "br,cosine,mse"));
        assertEquals(0, withCka.exitCode(), withCka.err());
        assertEquals(0, without.exitCode(), without.err());
        assertFalse(without.out().contains("\"cka\""), without.out());
        // BR, cosine and the relative change of every span: per-row sums in both runs, the change's denominator a
        // Gram trace (fp32 products) with CKA and an fp64 sum without; printed to the same digits
        assertTrue(lines(without.out(), "\"br\": ").size() >= 8 + 7, "one BR per span at least: " + without.out());
        assertEquals(lines(withCka.out(), "\"br\": "), lines(without.out(), "\"br\": "));
        assertEquals(lines(withCka.out(), "\"cosine\": "), lines(without.out(), "\"cosine\": "));
        assertEquals(8 + 7, count(without.out(), "\"span\": "));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static java.util.List<String> lines(String text, String key) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(key)).toList();
    }

    @Test
    void unknownMetricIsOneLine() {
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--metric", "br,fancy", "-q"), "unknown metric 'fancy'");
    }

    @Test
    void unknownTokensIsOneLine() {
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--tokens", "some", "-q"), "unknown token selection");
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--summary-token", "all", "-q"), "--summary-token must be cls, mean or 0");
        assertBadInput(CliRunner.run("approximate", VIT, "--data", IDX, "--summary-token", "3", "--replace", "1-2", "-o", "x.onnx", "-q"),
                "rba reads token 0 (cls) or the mean");
    }

    @Test
    void emptyFolderIsOneLine(@TempDir Path dir) {
        CliRunner r = CliRunner.run("analyze", VIT, "--data", dir.toString(), "-q");
        assertBadInput(r, dir.getFileName().toString());
    }

    @Test
    void dataOfTheWrongShapeIsOneLine(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("wrong.npz");
        Npz.write(npz, Map.of("pixel_values", NdArray.allocate(ElementType.FLOAT32, 4, 1, 32, 32)), false);
        CliRunner r = CliRunner.run("analyze", VIT, "--data", npz.toString(), "-q");
        assertBadInput(r, "pixel_values");
    }

    @Test
    void moreSamplesThanDataIsOneLine() {
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--split", "test", "--samples", "5000", "-q"), "--samples 5000");
    }

    @Test
    void missingReportFolderFailsBeforeThePass(@TempDir Path dir) {
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--report", dir.resolve("no/such/r.json").toString(), "-q"),
                "--report");
    }

    @Test
    void cudaProviderWithoutTheGpuBuildIsOneLine() {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "this ONNX Runtime has the CUDA provider");
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--provider", "cuda", "-q"), "onnxruntime_gpu");
    }

    @Test
    void badCropIsOneLine() {
        assertBadInput(CliRunner.run("analyze", VIT, "--data", IDX, "--crop", "224", "-q"), "--crop");
    }

    @Test
    void undecodableImageIsBadInputOrSkipped(@TempDir Path dir) throws Exception {
        Path classDir = Files.createDirectories(dir.resolve("images/bag"));
        try (var pngs = Files.list(CliRunner.FIXTURES.resolve("data/fashion-mnist-png/bag"))) {
            for (Path p : pngs.sorted().limit(5).toList()) Files.copy(p, classDir.resolve(p.getFileName()));
        }
        Path broken;
        try (var pngs = Files.list(classDir)) {
            broken = pngs.sorted().toList().get(2);
        }
        Files.writeString(broken, "not a png");
        String images = dir.resolve("images").toString();
        assertBadInput(CliRunner.run("analyze", VIT, "--data", images, "--batch-size", "2", "-q"), broken.getFileName().toString());
        CliRunner skipped = CliRunner.run("analyze", VIT, "--data", images, "--batch-size", "2", "--skip-bad-images", "-q");
        assertEquals(0, skipped.exitCode(), skipped.err());
        assertTrue(skipped.out().contains("calibration: 4 samples"), skipped.out());
        assertTrue(skipped.err().contains("skipped 1 image"), skipped.err());
    }

    static void assertBadInput(CliRunner r, String mention) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("rba: "), r.err());
        assertTrue(r.err().contains(mention), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
