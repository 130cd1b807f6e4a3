package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxModelRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void inlineSaveOfAnUnchangedModelIsByteIdentical() throws Exception {
        Path in = TinyModels.save(TinyModels.everything(), dir.resolve("in.onnx"));
        Path out = dir.resolve("out.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            WriteResult r = OnnxModelWriter.write(m, out, WriteOptions.inline());
            assertNull(r.dataFile());
            assertEquals(Files.size(in), r.modelBytes());
        }
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
    }

    @Test
    void unknownFieldsAndEverythingElseSurviveExternalSave() throws Exception {
        ModelProto original = TinyModels.everything();
        Path in = TinyModels.save(original, dir.resolve("in.onnx"));
        Path out = dir.resolve("ext.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            WriteResult r = OnnxModelWriter.write(m, out, WriteOptions.external().withExternalThreshold(0));
            assertEquals(dir.resolve("ext.onnx.data"), r.dataFile());
            // W, b, the Constant's tensor, the If branch's then_w, the sparse values and indices, the training lr
            assertEquals(7, r.externalTensors());
        }
        try (OnnxModelFile back = OnnxModelFile.read(out)) {
            ModelProto p = back.proto();
            assertTrue(back.hasExternalData());
            assertArrayEquals(original.getUnknownFields().toByteArray(), p.getUnknownFields().toByteArray());
            assertArrayEquals(original.getGraph().getNode(0).getUnknownFields().toByteArray(),
                    p.getGraph().getNode(0).getUnknownFields().toByteArray());
            assertArrayEquals(original.getGraph().getInitializer(0).getUnknownFields().toByteArray(),
                    p.getGraph().getInitializer(0).getUnknownFields().toByteArray());
            assertFalse(p.getUnknownFields().asMap().isEmpty());
            assertEquals(original.getFunctionsList(), p.getFunctionsList());
            assertEquals(original.getMetadataPropsList(), p.getMetadataPropsList());
            assertEquals(original.getOpsetImportList(), p.getOpsetImportList());
            assertEquals(original.getGraph().getValueInfoList(), p.getGraph().getValueInfoList());
            assertEquals(original.getDocString(), p.getDocString());
            assertEquals(original.getTrainingInfo(0).getUpdateBindingList(), p.getTrainingInfo(0).getUpdateBindingList());

            TensorBytes w = back.initializer("W");
            assertTrue(w.isMapped(), "external tensor should be a mapping of the data file");
            assertArrayEquals(TinyModels.weights(), w.toFloatArray());
            assertArrayEquals(TinyModels.bias(), back.initializer("b").toFloatArray());
            TensorProto constant = p.getGraph().getNode(2).getAttribute(0).getT();
            assertTrue(TensorShapes.isExternal(constant));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, back.tensor(constant).toFloatArray());
            assertEquals(TensorProto.DataLocation.EXTERNAL,
                    p.getTrainingInfo(0).getAlgorithm().getInitializer(0).getDataLocation());
            TensorProto thenW = p.getGraph().getNode(3).getAttribute(0).getG().getInitializer(0);
            assertArrayEquals(new float[] {9, 8, 7}, back.tensor(thenW).toFloatArray());
            TensorProto idx = p.getGraph().getSparseInitializer(0).getIndices();
            assertTrue(TensorShapes.isExternal(idx));
            assertEquals(7L, back.tensor(idx).data().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8));
        }
    }

    @Test
    void inlineToExternalToInlineGivesTheOriginalBytes() throws Exception {
        // typed fields (the sparse indices' int64_data) come back as raw_data, the form external data has; start
        // from all-raw tensors so that the bytes can match
        ModelProto allRaw = ModelTensors.map(TinyModels.everything(), t -> t.hasRawData() ? t : t.toBuilder()
                .clearInt64Data().setRawData(com.google.protobuf.ByteString.copyFrom(
                        InlineTensorData.bytesOf(t).asByteBuffer())).build());
        Path in = TinyModels.save(allRaw, dir.resolve("in.onnx"));
        Path ext = dir.resolve("ext.onnx");
        Path back = dir.resolve("back.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            OnnxModelWriter.write(m, ext, WriteOptions.external().withExternalThreshold(0));
        }
        try (OnnxModelFile m = OnnxModelFile.read(ext)) {
            WriteResult r = OnnxModelWriter.write(m, back, WriteOptions.inline());
            assertNull(r.dataFile());
        }
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(back));
    }

    @Test
    void externalDataIsAlignedAndSmallTensorsStayInline() throws Exception {
        // W is 48 bytes, b is 12: a threshold of 16 moves W only
        Path out = TinyModels.matMulAddWithExternalData(dir, "in.onnx", "out.onnx", 16, 1);
        try (OnnxModelFile m = OnnxModelFile.read(out)) {
            TensorProto w = m.proto().getGraph().getInitializer(0);
            TensorProto b = m.proto().getGraph().getInitializer(1);
            assertTrue(TensorShapes.isExternal(w));
            assertFalse(TensorShapes.isExternal(b));
            ExternalDataRef ref = ExternalDataRef.of(w);
            assertEquals("out.onnx.data", ref.location());
            assertEquals(0, ref.offset() % OnnxModelWriter.ALIGNMENT);
            assertEquals(48, ref.length());
            assertNotNull(m.initializer("W"));
            assertArrayEquals(TinyModels.weights(), m.initializer("W").toFloatArray());
        }
    }

    @Test
    void failedWriteLeavesTheOldOutputAndNoTemporaryFiles() throws Exception {
        Path in = TinyModels.save(TinyModels.matMulAdd(), dir.resolve("in.onnx"));
        Path out = dir.resolve("out.onnx");
        Files.writeString(out, "old");
        Files.writeString(dir.resolve("out.onnx.data"), "old data");
        ModelProto m = TinyModels.matMulAdd();
        // b declared without data and nothing supplies it: the writer fails after writing W to the data file
        ModelProto broken = m.toBuilder().setGraph(m.getGraph().toBuilder()
                .setInitializer(1, TensorProtos.declare("b", TensorDataType.FLOAT, TinyModels.OUT))).build();
        try (OnnxModelFile f = OnnxModelFile.read(in)) {
            OnnxFormatException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxFormatException.class,
                    () -> OnnxModelWriter.write(broken, f, out, WriteOptions.external().withExternalThreshold(0)));
            assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        }
        assertEquals("old", Files.readString(out));
        assertEquals("old data", Files.readString(dir.resolve("out.onnx.data")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("in.onnx", "out.onnx", "out.onnx.data"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void heapTensorsLargerThanOneWriteChunkGoExternalIntact() throws Exception {
        int n = 3 * 1024 * 1024; // 12 MiB of floats: two chunks of the heap path, page-aligned as a large tensor
        float[] big = new float[n];
        for (int i = 0; i < n; i++) {
            big[i] = i * 0.5f - 7;
        }
        ModelProto m = TinyModels.matMulAdd();
        ModelProto withBig = m.toBuilder().setGraph(m.getGraph().toBuilder()
                .addInitializer(TensorProtos.floats("big", big, 1024, 3072))).build();
        Path in = TinyModels.save(withBig, dir.resolve("in.onnx"));
        try (OnnxModelFile f = OnnxModelFile.read(in)) {
            OnnxModelWriter.write(f, dir.resolve("out.onnx"), WriteOptions.external());
        }
        try (OnnxModelFile f = OnnxModelFile.read(dir.resolve("out.onnx"))) {
            assertEquals(0, ExternalDataRef.of(f.proto().getGraph().getInitializer(2)).offset()
                    % OnnxModelWriter.LARGE_ALIGNMENT);
            assertArrayEquals(big, f.initializer("big").toFloatArray());
        }
    }

    @Test
    void autoKeepsInlineModelsInlineAndExternalModelsExternal() throws Exception {
        Path in = TinyModels.save(TinyModels.matMulAdd(), dir.resolve("in.onnx"));
        Path ext = dir.resolve("ext.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            assertNull(OnnxModelWriter.write(m, dir.resolve("auto1.onnx"), WriteOptions.auto()).dataFile());
            // a tiny AUTO limit stands in for the 1.8 GB one
            assertNotNull(OnnxModelWriter.write(m, dir.resolve("auto2.onnx"),
                    WriteOptions.auto().withAutoExternalAbove(10).withExternalThreshold(0)).dataFile());
            OnnxModelWriter.write(m, ext, WriteOptions.external().withExternalThreshold(0));
        }
        try (OnnxModelFile m = OnnxModelFile.read(ext)) {
            WriteResult r = OnnxModelWriter.write(m, dir.resolve("auto3.onnx"), WriteOptions.auto().withExternalThreshold(0));
            assertEquals(dir.resolve("auto3.onnx.data"), r.dataFile());
        }
    }
}
