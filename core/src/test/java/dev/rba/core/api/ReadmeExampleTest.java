package dev.rba.core.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's library example, taken from README.md itself, compiled with javac and run on the committed fixture,
 * so the documented API cannot drift from the real one.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Path root = repoRoot();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?public class RbaExample.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has a ```java block with class RbaExample");
        Path src = dir.resolve("RbaExample.java");
        Files.writeString(src, m.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                "--add-modules", "jdk.incubator.vector", src.toString());
        assertEquals(0, rc, "the README example compiles: " + diagnostics.toString(StandardCharsets.UTF_8));

        Path out = dir.resolve("vit-small.onnx");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("RbaExample").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {
                    root.resolve("fixtures/models/vit_fmnist_b8.onnx").toString(),
                    root.resolve("fixtures/data/fashion-mnist/train-images-idx3-ubyte.gz").toString(),
                    root.resolve("fixtures/data/fashion-mnist/t10k-images-idx3-ubyte.gz").toString(),
                    out.toString()});
        } finally {
            System.setOut(old);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(Files.size(out) > 0, "the example wrote the approximated model");
        assertTrue(text.contains("8 blocks"), text);
        assertTrue(text.contains("blocks 4-5"), text);
        assertTrue(text.matches("(?s).*agreement with the original: \\d+\\.\\d+%.*"), text);
    }

    private static Path repoRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("fixtures"))) return p;
        }
        throw new IOException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
