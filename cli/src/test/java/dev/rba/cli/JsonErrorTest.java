package dev.rba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With --json, stdout is JSON on failure as on success: {"error": the line stderr shows, "exit_code": 2}. Before, a
 * failing command printed nothing on stdout, which a script parsing it as JSON could not read.
 */
class JsonErrorTest {

    private static JsonNode failsWithJson(CliRunner r) throws Exception {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(2, doc.get("exit_code").asInt(), r.out());
        assertTrue(r.err().strip().endsWith(doc.get("error").asText()), "stdout says what stderr says:\n" + r.out() + "\n" + r.err());
        return doc;
    }

    @Test
    void aModelThatIsNotOnnx(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("not.onnx"), "hello world\n");
        JsonNode doc = failsWithJson(CliRunner.run("inspect", bad.toString(), "--json"));
        assertTrue(doc.get("error").asText().contains("not.onnx"), doc.toString());
    }

    @Test
    void anOutputThatCannotBeWritten() throws Exception {
        Path model = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx");
        JsonNode doc = failsWithJson(CliRunner.run("approximate", model.toString(), "--data",
                CliRunner.FIXTURES.resolve("data/fashion-mnist").toString(), "--split", "test", "--replace", "3-4",
                "-o", model.toString(), "--json"));
        assertTrue(doc.get("error").asText().contains("never writes over its inputs"), doc.toString());
    }

    @Test
    void aUsageError() throws Exception {
        CliRunner r = CliRunner.run("analyze", "model.onnx", "--json");   // --data missing
        assertEquals(2, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("error").asText().contains("--data"), r.out());
    }

    @Test
    void noJsonWithoutTheOption(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("not.onnx"), "hello world\n");
        CliRunner r = CliRunner.run("inspect", bad.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("", r.out());
    }
}
