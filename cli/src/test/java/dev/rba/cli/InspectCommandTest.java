package dev.rba.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    private static final Path BERT = CliRunner.FIXTURES.resolve("models/hf_bert_tiny.onnx");

    @Test
    void textReportListsEveryBlock() {
        CliRunner r = CliRunner.run("inspect", BERT.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("4 found by structure"), r.out());
        for (int k = 0; k < 4; k++) assertTrue(r.out().contains("/encoder/layer." + k), "block " + k + " listed");
        assertTrue(r.out().contains("input       input_ids"), r.out());
        assertTrue(r.out().contains("padding mask: input 'attention_mask'"), r.out());
        assertTrue(r.out().contains("class names: none recorded"), r.out());
    }

    @Test
    void theMaskIsNamedWhateverItsNameAndClassNamesWhereRecorded() {
        CliRunner bert = CliRunner.run("inspect", CliRunner.FIXTURES.resolve("models/hf_bert_input_mask.onnx").toString(), "--json");
        assertEquals(0, bert.exitCode(), bert.err());
        assertTrue(bert.out().contains("\"input\": \"input_mask\""), bert.out());
        CliRunner vit = CliRunner.run("inspect", CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx").toString());
        assertEquals(0, vit.exitCode(), vit.err());
        assertTrue(vit.out().contains("padding mask: none") && vit.out().contains("class names: 10 from"), vit.out());
    }

    @Test
    void jsonReportIsParseableShape() {
        CliRunner r = CliRunner.run("inspect", BERT.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertTrue(json.contains("\"d\": 32"), json);
        assertTrue(json.contains("\"residual_stream\""), json);
    }

    @Test
    void missingFileIsOneLineBadInput() {
        CliRunner r = CliRunner.run("inspect", "/nonexistent/model.onnx");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("/nonexistent/model.onnx"), r.err());
    }

    @Test
    void truncatedModelIsOneLineBadInputWithoutStackTrace(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(BERT);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        CliRunner r = CliRunner.run("inspect", cut.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cut.onnx"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        CliRunner verbose = CliRunner.run("inspect", cut.toString(), "--verbose");
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");
    }

    @Test
    void notOnnxIsBadInput(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("notes.onnx");
        Files.writeString(txt, "this is not a model\n");
        CliRunner r = CliRunner.run("inspect", txt.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("notes.onnx"), r.err());
    }

    @Test
    void unknownBoundaryNameIsBadInput() {
        CliRunner r = CliRunner.run("inspect", BERT.toString(), "--boundaries", "nope_a,nope_b");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("nope_a"), r.err());
    }

    @Test
    void usageErrorExitsTwo() {
        CliRunner r = CliRunner.run("inspect");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("MODEL.onnx"), r.err());
    }

    @Test
    void aLargeDeclaredBatchIsProbedAtBatchOneWithTheSameShapes(@TempDir Path dir) throws IOException {
        Path seed = CliRunner.FIXTURES.resolve("fuzz/seeds/vit_b2_opset17.onnx");
        var model = dev.rba.onnx.proto.OnnxProto.ModelProto.parseFrom(Files.readAllBytes(seed)).toBuilder();
        // the model's reshapes read the batch from the input's shape, so it runs at any batch, but it declares 65,535
        model.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(0).setDimValue(65_535);
        Path fixed = Files.write(dir.resolve("batch-65535.onnx"), model.build().toByteArray());
        CliRunner dynamic = CliRunner.run("inspect", seed.toString(), "--json");
        CliRunner big = CliRunner.run("inspect", fixed.toString(), "--json");
        assertEquals(0, big.exitCode(), big.err());
        assertTrue(big.out().contains("shapes from one ONNX Runtime run at batch 1 (")
                && big.out().contains("read back) (the model declares batch 65535)"), big.out());
        for (String field : new String[] {"\"d\": 8,", "\"tokens\": 5,", "\"macs_per_sample\": 6456,", "\"macs_per_sample\": 2960"}) {
            assertTrue(dynamic.out().contains(field) && big.out().contains(field), field + " in both:\n" + big.out());
        }
    }
}
