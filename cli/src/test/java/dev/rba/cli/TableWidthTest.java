package dev.rba.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** doctor's and inspect's text reports fit 100 columns on this machine and on every committed fixture model. */
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

    private static void assertFits(String what, String text) {
        for (String line : text.split("\\R")) {
            assertTrue(line.length() <= Tables.WIDTH, what + " has a line of " + line.length() + " columns: " + line);
        }
    }
}
