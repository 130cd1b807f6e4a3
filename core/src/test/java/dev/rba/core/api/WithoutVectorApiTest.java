package dev.rba.core.api;

import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.linalg.simd.VectorApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM without {@code --add-modules jdk.incubator.vector} (as a library user may start one) runs the analysis on
 * the java backend with the scalar kernels, and gets the Block Redundancy this JVM (Vector API) gets, up to fp32
 * summation order. Before the kernels checked for the module this died with NoClassDefFoundError
 * jdk/incubator/vector/Vector (issue 14).
 */
class WithoutVectorApiTest {

    private static final int SAMPLES = 64;

    @Test
    void analysisRunsWithScalarKernelsAndAgreesWithTheVectorApi() throws Exception {
        assertTrue(VectorApi.PRESENT, "the build runs tests with the Vector API; this test compares against it");
        Path root = repoRoot();
        Path model = root.resolve("fixtures/models/vit_fmnist_b8.onnx");
        Path data = root.resolve("fixtures/data/fashion-mnist/train-images-idx3-ubyte.gz");

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Drba.java.threads=1", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), WithoutVectorApiMain.class.getName(),
                model.toString(), data.toString(), String.valueOf(SAMPLES))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forked JVM finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.contains("NoClassDefFoundError") && !out.contains("WARNING: Using incubator"), out);
        List<String> lines = out.lines().filter(l -> l.matches("vector-api \\w+|products-error \\S+|\\d+-\\d+ \\S+")).toList();
        assertEquals("vector-api false", lines.getFirst(), out);
        double productsError = Double.parseDouble(lines.get(1).substring("products-error ".length()));
        assertTrue(productsError < 1e-5, "scalar Gram and sgemm vs fp64 sums, relative to the largest entry: " + productsError);
        assertTrue(WithoutVectorApiMain.productsError(97, 45, 70) < 1e-5, "and the Vector API's");

        Map<String, Double> scalar = new HashMap<>();
        for (String l : lines.subList(2, lines.size())) {
            String[] f = l.split(" ");
            scalar.put(f[0], Double.parseDouble(f[1]));
        }
        RedundancyReport vector = WithoutVectorApiMain.analyze(model, data, SAMPLES);
        assertEquals(vector.spans().size(), scalar.size(), out);
        assertEquals(36, scalar.size(), "8 blocks: 8*9/2 spans");
        for (SpanScore s : vector.spans()) {
            Double br = scalar.get(s.firstBlock() + "-" + s.lastBlock());
            assertTrue(br != null && Math.abs(br - s.br()) <= 1e-4 * Math.max(1, Math.abs(s.br())),
                    "span " + s.label() + ": scalar " + br + " vs Vector API " + s.br());
        }
    }

    private static Path repoRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("fixtures"))) return p;
        }
        throw new IOException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
