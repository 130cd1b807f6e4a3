package dev.rba.onnx.io;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One broken model per rule of {@link ModelChecker}: rba refuses it reading the file, with one line naming the problem
 * and the node or tensor, and ONNX Runtime (the independent reference) refuses it too; the valid variants pass both.
 */
class ModelCheckerTest {
    @TempDir
    Path dir;

    /** Whether ONNX Runtime creates a session for the model (no optimisation: only loading is judged). */
    static boolean ortLoads(ModelProto m) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession ignored = OrtEnvironment.getEnvironment().createSession(m.toByteArray(), so)) {
                return true;
            }
        } catch (OrtException e) {
            return false;
        }
    }

    private static ModelProto edit(UnaryOperator<GraphProto.Builder> change) {
        ModelProto m = TinyModels.matMulAdd();
        return m.toBuilder().setGraph(change.apply(m.getGraph().toBuilder())).build();
    }

    private String refused(ModelProto m, String... mustContain) throws Exception {
        Path p = Files.write(dir.resolve("broken.onnx"), m.toByteArray());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(p).close());
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("model " + p + " cannot run: "), msg);
        for (String s : mustContain) assertTrue(msg.contains(s), "'" + s + "' in: " + msg);
        assertFalse(ortLoads(m), "ONNX Runtime refuses it too: " + msg);
        return msg;
    }

    private void accepted(ModelProto m) throws Exception {
        Path p = Files.write(dir.resolve("fine.onnx"), m.toByteArray());
        OnnxModelFile.read(p).close();
        assertTrue(ortLoads(m), "ONNX Runtime loads it too");
    }

    @Test
    void theValidModelPassesBoth() throws Exception {
        accepted(TinyModels.matMulAdd());
    }

    @Test
    void nodesOutOfOrderAreSortedNotRefusedAsOnnxRuntimeDoes() throws Exception {
        accepted(edit(g -> {
            NodeProto mm = g.getNode(0);
            return g.setNode(0, g.getNode(1)).setNode(1, mm);
        }));
    }

    @Test
    void aNodeReadingAMissingValue() throws Exception {
        refused(edit(g -> g.setNode(1, g.getNode(1).toBuilder().setInput(1, "nowhere"))),
                "node 'add' (Add) reads 'nowhere'", "no graph input, initializer or node output defines");
    }

    @Test
    void aCycle() throws Exception {
        refused(edit(g -> g.setNode(0, g.getNode(0).toBuilder().setInput(0, "y"))), "cycle");
    }

    @Test
    void rawDataShorterThanItsDims() throws Exception {
        refused(edit(g -> g.setInitializer(0, g.getInitializer(0).toBuilder()
                .setRawData(g.getInitializer(0).getRawData().substring(0, 8)))), "tensor 'W'", "8 bytes of raw_data", "48");
    }

    @Test
    void unknownDataTypes() throws Exception {
        refused(edit(g -> g.setInitializer(1, g.getInitializer(1).toBuilder().setDataType(999))),
                "tensor 'b'", "unknown data_type 999");
        refused(edit(g -> g.setInput(0, g.getInput(0).toBuilder().setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(999))))), "graph input 'x'", "999");
    }

    @Test
    void dimsThatOverflowOrAreNegative() throws Exception {
        refused(edit(g -> g.setInitializer(1, g.getInitializer(1).toBuilder().clearDims()
                .addDims(1L << 40).addDims(1L << 40))), "tensor 'b'", "overflows");
        refused(edit(g -> g.setInitializer(1, g.getInitializer(1).toBuilder().setDims(0, -3))),
                "tensor 'b'", "negative dimension -3");
    }

    @Test
    void unknownOperatorsAndOperatorsNewerThanTheOpset() throws Exception {
        refused(edit(g -> g.setNode(1, g.getNode(1).toBuilder().setOpType("Frobnicate"))),
                "node 'add' (Frobnicate)", "ONNX defines no operator 'Frobnicate'");
        ModelProto gelu = edit(g -> g.setNode(1, NodeProto.newBuilder().setName("gelu").setOpType("Gelu")
                .addInput("xw").addOutput("y").build()));
        refused(gelu, "node 'gelu' (Gelu)", "from opset 20", "imports opset 17");
        ModelProto opset20 = gelu.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion(20)).build();
        accepted(opset20);
        // ONNX Runtime runs LayerNormalization below opset 17 (its own fused exports use it): not refused
        ModelProto layerNorm = edit(g -> g.addInitializer(TinyModels.floatTensor("g", new float[] {1, 1, 1}, 3))
                .setNode(1, NodeProto.newBuilder().setName("ln").setOpType("LayerNormalization")
                        .addInput("xw").addInput("g").addOutput("y").build()));
        accepted(layerNorm.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion(13)).build());
    }

    @Test
    void theDefaultDomainWithoutOpsetImportIsRefusedWhereOnnxRuntimeWouldGuess() throws Exception {
        ModelProto m = TinyModels.matMulAdd();
        ModelProto other = m.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("rba.test")
                .setVersion(1)).build();
        // ONNX's checker refuses this; ONNX Runtime guesses its newest opset, which can change what operators mean
        assertTrue(ortLoads(other), "ONNX Runtime guesses");
        Path p = Files.write(dir.resolve("no-default-opset.onnx"), other.toByteArray());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(p).close());
        assertTrue(e.getMessage().contains("node 'mm' (MatMul) is in the default domain ''"), e.getMessage());
    }

    @Test
    void contribOperatorsAreOnnxRuntimesToJudge() throws Exception {
        NodeProto fastGelu = NodeProto.newBuilder().setName("fg").setOpType("FastGelu").setDomain("com.microsoft")
                .addInput("xw").addOutput("y").build();
        ModelProto noImport = edit(g -> g.setNode(1, fastGelu));
        // ONNX Runtime imports its own domains when the model does not: rba must not refuse what it runs
        accepted(noImport);
        accepted(noImport.toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft")
                .setVersion(1)).build());
    }

    @Test
    void aNameDefinedTwiceAndAnUndefinedGraphOutput() throws Exception {
        refused(edit(g -> g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "xw"))), "'xw'", "defined twice");
        refused(edit(g -> g.addOutput(ValueInfoProto.newBuilder().setName("ghost")
                .setType(g.getOutput(0).getType()))), "graph output 'ghost' is not defined");
    }

    @Test
    void typedValuesThatDoNotMatchTheDims() throws Exception {
        TensorProto bias = TensorProto.newBuilder().setName("b").setDataType(TensorDataType.FLOAT.code()).addDims(3)
                .addFloatData(1).addFloatData(2).build();
        String msg = refused(edit(g -> g.setInitializer(1, bias)), "tensor 'b'", "2 typed values", "need 3");
        assertEquals(1, msg.lines().count());
        TensorProto empty = bias.toBuilder().clearFloatData().setRawData(ByteString.EMPTY).clearRawData().build();
        refused(edit(g -> g.setInitializer(1, empty)), "tensor 'b'", "no data");
    }

    /** rba's refusal of a model reading it (ONNX Runtime is not asked: see the tests that use it). */
    private String refusedByRba(ModelProto m, String... mustContain) throws Exception {
        Path p = Files.write(dir.resolve("too-big.onnx"), m.toByteArray());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(p).close());
        for (String s : mustContain) assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        return e.getMessage();
    }

    private static ModelProto reshapeTo(long... target) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorDataType.INT64.code()).addDims(target.length);
        for (long v : target) t.addInt64Data(v);
        NodeProto constant = NodeProto.newBuilder().setName("target").setOpType("Constant").addOutput("shape")
                .addAttribute(dev.rba.onnx.proto.OnnxProto.AttributeProto.newBuilder().setName("value")
                        .setType(dev.rba.onnx.proto.OnnxProto.AttributeProto.AttributeType.TENSOR).setT(t)).build();
        NodeProto reshape = NodeProto.newBuilder().setName("rs").setOpType("Reshape").addInput("xw").addInput("shape")
                .addOutput("r").build();
        return edit(g -> g.addNode(constant).addNode(reshape).addOutput(ValueInfoProto.newBuilder().setName("r")
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorDataType.FLOAT.code())))));
    }

    @Test
    void shapesThatNoMemoryHolds() throws Exception {
        // ONNX Runtime loads these (it may spend minutes and gigabytes inferring shapes from them, see
        // fixtures/fuzz/findings/ort-load-hang-pixel-values.onnx) but no machine can run them: rba refuses first
        refusedByRba(edit(g -> g.setInput(0, TinyModels.floatValue("x", 1L << 38, 1L << 10))),
                "graph input 'x' declares a shape of 281474976710656 elements, more than any memory holds");
        refusedByRba(reshapeTo(Long.MAX_VALUE), "node 'rs' (Reshape): its shape input 'shape' asks for at least 2^63-1 elements");
        refusedByRba(reshapeTo(-1, 1L << 21, 1L << 20), "node 'rs' (Reshape)", "2199023255552 elements");
        // -1 and 0 take their sizes from the input; a reshape to what the input holds is fine
        accepted(reshapeTo(-1, 0));
        accepted(reshapeTo(6));
        accepted(edit(g -> g.setInput(0, TinyModels.floatValue("x", 1L << 20, 4))
                .setOutput(0, TinyModels.floatValue("y", 1L << 20, 3))));
    }
}
