import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example, as this separate project compiled it, run on rba's committed fixture. */
class RbaExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("rba.root"));

    @Test
    void sourceIsTheReadmeExample() throws Exception {
        Matcher m = Pattern.compile("```java\\n(.*?public class RbaExample.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("README.md")));
        assertTrue(m.find(), "README.md has the RbaExample block");
        assertEquals(m.group(1), Files.readString(Path.of("src/main/java/RbaExample.java")),
                "src/main/java/RbaExample.java is the README's example (copy it again after editing the README)");
    }

    @Test
    void exampleRunsWithoutTheVectorApiAndWritesALoadableModel() throws Exception {
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "this JVM has no Vector API");
        Path out = Path.of("target/vit-small.onnx").toAbsolutePath();
        Files.deleteIfExists(out);
        Path model = ROOT.resolve("fixtures/models/vit_fmnist_b8.onnx");
        Path data = ROOT.resolve("fixtures/data/fashion-mnist");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            RbaExample.main(new String[] {model.toString(),
                    data.resolve("train-images-idx3-ubyte.gz").toString(),
                    data.resolve("t10k-images-idx3-ubyte.gz").toString(), out.toString()});
        } finally {
            System.setOut(old);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertTrue(text.startsWith("8 blocks; backend "), text);
        assertTrue(text.matches("(?s).*\\bblocks 4-5 \\(h_4 \\S+ h_6\\) replaced; saved .*"), text);
        Matcher agreement = Pattern.compile("agreement with the original: (\\d+\\.\\d)%").matcher(text);
        assertTrue(agreement.find(), text);
        double pct = Double.parseDouble(agreement.group(1));
        assertTrue(pct > 50 && pct <= 100, "removing 2 of 8 blocks keeps most top-1 answers: " + pct);
        // the evaluation above ran the written model in ONNX Runtime; two of eight blocks less is a smaller file
        double ratio = (double) Files.size(out) / Files.size(model);
        assertTrue(ratio > 0.6 && ratio < 0.9, "written model / original size: " + ratio);
    }
}
