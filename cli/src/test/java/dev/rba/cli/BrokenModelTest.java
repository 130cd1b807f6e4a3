package dev.rba.cli;

import com.google.protobuf.ByteString;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models that cannot run get exit 2 and their cause from every command, never a note and exit 0 from inspect nor a
 * suggestion to give --boundaries from analyze: one broken in a way rba's own checks name, one only ONNX Runtime's
 * loader refuses (an Add of float32 and int64).
 */
class BrokenModelTest {
    private static final Path SEED = ModelFuzzTest.SEEDS.resolve("vit_b2_opset17.onnx");
    private static final String IDX = CliRunner.FIXTURES.resolve("data/fashion-mnist").toString();

    private static ModelProto edit(java.util.function.UnaryOperator<GraphProto.Builder> change) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(SEED));
        return m.toBuilder().setGraph(change.apply(m.getGraph().toBuilder())).build();
    }

    private static void refusedEverywhere(Path model, String cause) {
        CliRunner inspect = CliRunner.run("inspect", model.toString());
        assertEquals(2, inspect.exitCode(), inspect.out() + inspect.err());
        assertEquals(1, inspect.err().strip().lines().count(), inspect.err());
        assertTrue(inspect.err().contains(cause), inspect.err());
        CliRunner analyze = CliRunner.run("analyze", model.toString(), "--data", IDX, "--split", "test", "--samples", "4",
                "--backend", "java", "-q");
        assertEquals(2, analyze.exitCode(), analyze.err());
        assertTrue(analyze.err().contains(cause), analyze.err());
        assertFalse(analyze.err().contains("--boundaries"), analyze.err());
    }

    @Test
    void aNodeReadingNothingIsNamed(@TempDir Path dir) throws Exception {
        ModelProto m = edit(g -> {
            int i = 0;
            while (!g.getNode(i).getOpType().equals("MatMul")) i++;
            return g.setNode(i, g.getNode(i).toBuilder().setInput(0, "no_such_tensor"));
        });
        Path p = Files.write(dir.resolve("m.onnx"), m.toByteArray());
        refusedEverywhere(p, "reads 'no_such_tensor', which no graph input, initializer or node output defines");
    }

    @Test
    void whatOnlyOnnxRuntimeRefusesIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        ModelProto m = edit(g -> {
            // the first Add with an initializer operand gets that operand as int64: Add(float, int64) is a type error
            for (NodeProto n : g.getNodeList()) {
                if (!n.getOpType().equals("Add")) continue;
                for (int t = 0; t < g.getInitializerCount(); t++) {
                    TensorProto init = g.getInitializer(t);
                    if (!n.getInputList().contains(init.getName()) || init.getDataType() != 1) continue;
                    ByteBuffer f = init.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    ByteBuffer l = ByteBuffer.allocate(f.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
                    while (f.hasRemaining()) l.putLong((long) f.getFloat());
                    return g.setInitializer(t, init.toBuilder().setDataType(7).setRawData(ByteString.copyFrom(l.array())));
                }
            }
            throw new IllegalStateException("no Add with a float initializer in " + SEED);
        });
        Path p = Files.write(dir.resolve("m.onnx"), m.toByteArray());
        refusedEverywhere(p, "ONNX Runtime cannot load the model");
    }
}
