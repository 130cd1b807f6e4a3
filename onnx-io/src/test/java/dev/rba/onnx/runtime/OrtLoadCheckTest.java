package dev.rba.onnx.runtime;

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

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load check in a child JVM: a model ONNX Runtime loads passes, one it refuses is refused with its reason, and one
 * whose shape inference does not end (an Expand whose shape operand declares 10^9 elements: ONNX Runtime builds an
 * output of that rank one dimension at a time) is stopped at the memory limit and refused; no child is left running
 * and no temporary folder is left behind.
 */
class OrtLoadCheckTest {
    private static final long MIB = 1L << 20;

    private static ValueInfoProto value(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    /** y expanded to the shape held by input s, whose length (the output's rank) is {@code rank}. */
    private static ModelProto expand(long rank, String domain) {
        GraphProto g = GraphProto.newBuilder().setName("expand")
                .addNode(NodeProto.newBuilder().setName("ex").setOpType("Expand").setDomain(domain).addInput("y").addInput("s").addOutput("e"))
                .addInput(value("y", TensorProto.DataType.FLOAT, 1, 8))
                .addInput(value("s", TensorProto.DataType.INT64, rank))
                .addOutput(ValueInfoProto.newBuilder().setName("e"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g).build();
    }

    @Test
    void aModelOnnxRuntimeLoadsPasses() {
        OrtSessions.checkLoads(expand(2, ""), null);
    }

    @Test
    void aModelOnnxRuntimeRefusesIsRefusedWithItsReason() {
        ModelRunException e = assertThrows(ModelRunException.class, () -> OrtSessions.checkLoads(expand(2, "no.such.domain"), null));
        assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load the model: "), e.getMessage());
        assertTrue(e.getMessage().contains("no.such.domain"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** The temporary folders (with ONNX Runtime's unpacked libraries) the children left in {@code parent}. */
    private static long scratchFolders(Path parent) throws java.io.IOException {
        try (var s = java.nio.file.Files.list(parent)) {
            return s.count();
        }
    }

    @Test
    void aLoadThatDoesNotEndIsStoppedAndRefused(@TempDir Path scratchParent) throws Exception {
        long t0 = System.nanoTime();
        ModelRunException e = assertThrows(ModelRunException.class,
                () -> OrtLoadCheck.check(expand(1_000_000_000L, ""), null, 120, 256 * MIB, scratchParent));
        assertTrue(e.getMessage().contains("took more than 256 MiB of memory while loading the model and was stopped"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 120, "stopped at the memory limit, before the time limit");
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "no child left running");
        e = assertThrows(ModelRunException.class, () -> OrtLoadCheck.check(expand(1_000_000_000L, ""), null, 2, 64L << 30, scratchParent));
        assertTrue(e.getMessage().contains("did not finish loading the model in 2 s"), e.getMessage());
        OrtLoadCheck.check(expand(2, ""), null, 120, 64L << 30, scratchParent);
        assertEquals(0, scratchFolders(scratchParent), "the children's temporary folders are removed, killed or not");
    }
}
