package dev.rba.onnx.io;

import com.google.protobuf.ByteString;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.testmodels.ResidualModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.rba.onnx.testmodels.ResidualModels.Block.LINEAR;
import static dev.rba.onnx.testmodels.ResidualModels.Block.NONLINEAR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Large inline weights stay in the model file when it is read, and nothing a caller sees changes. */
class WeightsLeftInFileTest {
    /** d x d fp32 weights of exactly {@link WeightsLeftInFile#MIN_BYTES}. */
    private static final int D = 512;

    @TempDir
    Path dir;

    @Test
    void largeWeightsPointIntoTheModelFileAndReadAsBefore() throws Exception {
        ModelProto original = ResidualModels.build(D, List.of(LINEAR, NONLINEAR, LINEAR), 21, false).proto();
        Path path = dir.resolve("big.onnx");
        Files.write(path, original.toByteArray());
        ModelProto whole = OnnxModelFile.parse(path, Files.readAllBytes(path));
        try (OnnxModelFile m = OnnxModelFile.read(path)) {
            int moved = 0;
            for (TensorProto t : m.proto().getGraph().getInitializerList()) {
                TensorProto before = whole.getGraph().getInitializerList().stream()
                        .filter(w -> w.getName().equals(t.getName())).findFirst().orElseThrow();
                if (TensorShapes.isExternal(t)) {
                    moved++;
                    assertEquals("big.onnx", ExternalDataRef.of(t).location());
                    assertTrue(before.getRawData().size() >= WeightsLeftInFile.MIN_BYTES, t.getName());
                } else {
                    assertEquals(before, t, "small tensors stay as they were");
                }
                assertArrayEquals(before.getRawData().toByteArray(), m.bytesOf(t).toArray(ValueLayout.JAVA_BYTE), t.getName());
            }
            assertTrue(moved >= 2, "the blocks' d x d weights are left in the file");
            assertTrue(m.proto().getSerializedSize() < 64 * 1024, "the proto holds no weights");
            assertFalse(m.hasExternalData(), "one file: no external data to callers");
            assertEquals(Set.of(), m.dataFiles());
            assertEquals(Set.of(path), m.inputFiles());
            assertEquals(whole.getGraph().getNodeList(), m.proto().getGraph().getNodeList());
            assertEquals(whole.getOpsetImportList(), m.proto().getOpsetImportList());

            // ONNX Runtime reads the weights from the file and computes what it computes on the whole model
            RuntimeOptions one = RuntimeOptions.defaults().withThreads(1);
            ModelInputs in = ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(3, 7), 3, ResidualModels.TOKENS, ResidualModels.IN));
            float[] expected;
            try (ModelRunner r = ModelRunner.open(whole, null, one)) {
                expected = r.collect(in, 3, null).get("logits");
            }
            try (ModelRunner r = ModelRunner.open(m, one)) {
                assertArrayEquals(expected, r.collect(in, 3, null).get("logits"), 0f);
            }

            // saved as it came: one inline file, byte for byte
            Path out = dir.resolve("out.onnx");
            WriteResult w = OnnxModelWriter.write(m, out, WriteOptions.auto());
            assertNull(w.dataFile());
            assertArrayEquals(Files.readAllBytes(path), Files.readAllBytes(out));
        }
    }

    @Test
    void aWeightOfTheWrongLengthStaysInlineAndIsRefusedAsBefore() throws Exception {
        ModelProto good = ResidualModels.build(D, List.of(LINEAR), 22, false).proto();
        GraphProto.Builder g = good.getGraph().toBuilder();
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            if (t.getRawData().size() >= WeightsLeftInFile.MIN_BYTES) {
                t.setRawData(t.getRawData().concat(ByteString.copyFrom(new byte[4])));
            }
        }
        Path path = dir.resolve("bad.onnx");
        Files.write(path, good.toBuilder().setGraph(g).build().toByteArray());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(path));
        assertTrue(e.getMessage().contains("bytes of raw_data but its type and dims need"), e.getMessage());
    }
}
