package dev.rba.cli;

import com.google.protobuf.ByteString;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rba evaluate} end to end on the ViT fixture and small data; the numbers themselves are checked in core. */
class EvaluateCommandTest {
    private static final Path VIT = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx");
    private static final Path NPZ = CliRunner.FIXTURES.resolve("data/fashion-mnist-npz/test-200.npz");
    private static final Path IDX = CliRunner.FIXTURES.resolve("data/fashion-mnist");

    @Test
    void selfComparisonPrintsTheSideBySideTable() {
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--baseline", VIT.toString(), "--data", NPZ.toString(),
                "--limit", "40", "--latency-repeats", "3", "--latency-warmup", "1", "--threads", "1", "-q");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("metric") && out.contains("baseline") && out.contains("model") && out.contains("change"), out);
        assertTrue(out.matches("(?s).*top-1 agreement with baseline\\s+100\\.00%\\s+100\\.00%.*"), out);
        assertTrue(out.contains("top-1 accuracy"), out);
        assertTrue(out.contains("latency median (batch 32)"), out);
        assertTrue(out.contains("latency ratio"), out);
        assertTrue(out.contains("logical cores") && out.contains("1 intra-op threads"), out);
    }

    @Test
    void idxTestSplitWithJson() {
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--data", IDX.toString(), "--split", "test",
                "--limit", "64", "--latency-repeats", "2", "--json", "-q");
        assertEquals(0, r.exitCode(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertTrue(json.contains("\"samples\": 64"), json);
        assertTrue(json.contains("\"has_labels\": true"), json);
        assertTrue(json.contains("\"median_ms\""), json);
        assertTrue(json.contains("\"cpu\""), json);
        assertTrue(json.contains("\"baseline\": null"), json);
        assertTrue(json.contains("\"timings_s\": {") && json.contains("\"ORT run\": ") && json.contains("\"sizes\": "), json);
    }

    @Test
    void withoutLabelsAccuracyIsNotAvailable(@TempDir Path dir) throws Exception {
        Path unlabelled = dir.resolve("unlabelled.npz");
        Map<String, NdArray> arrays = new LinkedHashMap<>(Npz.read(NPZ));
        arrays.remove("labels");
        Npz.write(unlabelled, arrays, false);
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--baseline", VIT.toString(), "--data", unlabelled.toString(),
                "--limit", "16", "--latency-repeats", "0", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("accuracy: not available"), r.out());
        assertTrue(r.out().contains("no labels"), r.out());
        assertTrue(r.out().contains("top-1 agreement with baseline"), r.out());
        assertFalse(r.out().contains("latency median"), r.out());
    }

    @Test
    void baselineWithOtherOutputShapeIsOneLineBadInput(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("five_classes.onnx");
        OnnxModelWriter.write(fiveClassModel(), other);
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--baseline", other.toString(), "--data", NPZ.toString(),
                "--limit", "8", "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("logits") && r.err().contains("five_classes.onnx"), r.err());
    }

    @Test
    void dataOfTheWrongShapeIsOneLineBadInput(@TempDir Path dir) throws Exception {
        Path wrong = dir.resolve("wrong.npz");
        NdArray pixels = NdArray.allocate(ElementType.FLOAT32, 4, 1, 32, 32);
        Npz.write(wrong, Map.of("pixel_values", pixels), false);
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--data", wrong.toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("wrong.npz") || r.err().contains("pixel_values"), r.err());
    }

    @Test
    void limitAndSamplesTogetherAreRefused() {
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--data", NPZ.toString(), "--limit", "5", "--samples", "5");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--limit") && r.err().contains("--samples"), r.err());
    }

    @Test
    void helpTeachesTheOptions() {
        CliRunner r = CliRunner.run("evaluate", "--help");
        assertEquals(0, r.exitCode());
        for (String opt : new String[] {"--baseline", "--data", "--limit", "--batch-size", "--latency-repeats", "--json"}) {
            assertTrue(r.out().contains(opt), opt + " in " + r.out());
        }
    }

    /** The ViT's input, an output 'logits' of 5 values: Flatten then MatMul. */
    private static ModelProto fiveClassModel() {
        int classes = 5;
        ByteBuffer w = ByteBuffer.allocate(784 * classes * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784 * classes; i++) w.putFloat(0.01f * (i % 7));
        TensorProto weight = TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(784).addDims(classes).setRawData(ByteString.copyFrom(w.array())).build();
        GraphProto graph = GraphProto.newBuilder().setName("five")
                .addInput(value("pixel_values", shape("batch", 1, 28, 28)))
                .addOutput(value("logits", shape("batch", classes)))
                .addInitializer(weight)
                .addNode(NodeProto.newBuilder().setOpType("Flatten").addInput("pixel_values").addOutput("flat"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("flat").addInput("W").addOutput("logits"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
    }

    private static ValueInfoProto value(String name, TensorShapeProto shape) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static TensorShapeProto shape(String batch, long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) b.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return b.build();
    }

    /**
     * Class folders matched to the names the model records (92% on the committed PNGs, whose sorted folder names are
     * not the model's order), or to --class-names; folders that match nothing give no accuracy and say how to fix it.
     */
    @Test
    void classFoldersAreMatchedToTheModelsClassNames(@TempDir Path dir) throws Exception {
        Path png = CliRunner.FIXTURES.resolve("data/fashion-mnist-png");
        CliRunner r = CliRunner.run("evaluate", VIT.toString(), "--data", png.toString(), "--latency-repeats", "0",
                "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("folders matched to the model's metadata_props entry rba.labels"), r.err());
        assertTrue(r.out().matches("(?s).*top-1 accuracy\\s+92\\.00%.*"), r.out());

        Path renamed = dir.resolve("renamed");
        for (String[] pair : new String[][] {{"bag", "handbag"}, {"trouser", "trousers"}}) {
            java.nio.file.Files.createDirectories(renamed.resolve(pair[1]));
            try (var files = java.nio.file.Files.list(png.resolve(pair[0]))) {
                for (Path f : files.toList()) java.nio.file.Files.copy(f, renamed.resolve(pair[1]).resolve(f.getFileName()));
            }
        }
        CliRunner none = CliRunner.run("evaluate", VIT.toString(), "--data", renamed.toString(), "--latency-repeats", "0",
                "--threads", "1");
        assertEquals(0, none.exitCode(), none.err());
        assertTrue(none.err().contains("match no class name") && none.err().contains("--class-names FILE"), none.err());
        assertTrue(none.out().contains("accuracy: not available"), none.out());

        Path names = java.nio.file.Files.writeString(dir.resolve("names.txt"),
                "tshirt\ntrousers\npullover\ndress\ncoat\nsandal\nshirt\nsneaker\nhandbag\nboot\n");
        CliRunner given = CliRunner.run("evaluate", VIT.toString(), "--data", renamed.toString(), "--class-names",
                names.toString(), "--latency-repeats", "0", "--threads", "1");
        assertEquals(0, given.exitCode(), given.err());
        assertTrue(given.err().contains("folders matched to class names file"), given.err());
        assertTrue(given.out().contains("top-1 accuracy"), given.out());
    }
}
