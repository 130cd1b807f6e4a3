package dev.rba.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text reports fit 100 columns: doctor's on this machine, inspect's on every committed fixture model, and
 * analyze's, approximate's (with its selection tables) and evaluate's on the fixture model.
 */
class TableWidthTest {

    @Test
    void doctorFits() {
        CliRunner r = CliRunner.run("doctor");
        assertEquals(0, r.exitCode(), r.err());
        assertFits("doctor", r.out());
        assertTrue(r.out().contains("library") && r.out().contains("backend"), r.out());
    }

    @Test
    void inspectFitsOnEveryFixtureModel() throws IOException {
        List<Path> models;
        try (Stream<Path> files = Files.list(CliRunner.FIXTURES.resolve("models"))) {
            models = files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertTrue(models.size() >= 5, "fixture models found: " + models);
        for (Path m : models) {
            CliRunner r = CliRunner.run("inspect", m.toString());
            assertEquals(0, r.exitCode(), m + ": " + r.err());
            assertTrue(r.out().contains("in:  ") && r.out().contains("out: "), m + " prints its blocks:\n" + r.out());
            assertFits("inspect " + m.getFileName(), r.out());
        }
    }

    @Test
    void analyzeApproximateAndEvaluateFit(@org.junit.jupiter.api.io.TempDir Path dir) {
        String model = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx").toString();
        String data = CliRunner.FIXTURES.resolve("data/fashion-mnist").toString();
        CliRunner analyze = CliRunner.run("analyze", model, "--data", data, "--split", "test", "--samples", "16", "-q",
                "--backend", "java", "--report", dir.resolve("a.json").toString());
        assertEquals(0, analyze.exitCode(), analyze.err());
        assertFits("analyze", analyze.out());
        Path out = dir.resolve("approximated-with-a-long-name-that-runs-on-and-on-and-on-and-on-and-on.onnx");
        CliRunner approximate = CliRunner.run("approximate", model, "--data", data, "--split", "test", "--samples", "16",
                "--check-samples", "16", "--remove", "2", "--candidates", "3", "--backend", "java", "-q", "-o", out.toString());
        assertEquals(0, approximate.exitCode(), approximate.err());
        assertTrue(approximate.out().contains("their held-out check"), approximate.out());
        assertFits("approximate --remove", approximate.out());
        CliRunner evaluate = CliRunner.run("evaluate", out.toString(), "--baseline", model, "--data", data, "--split", "test",
                "--limit", "16", "--latency-repeats", "0", "-q");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertFits("evaluate", evaluate.out());
    }

    private static void assertFits(String what, String text) {
        for (String line : text.split("\\R")) {
            assertTrue(line.length() <= Tables.WIDTH, what + " has a line of " + line.length() + " columns: " + line);
        }
    }
}
