package dev.rba.onnx.io;
import dev.rba.onnx.api.OutputFileTest;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxModelFileErrorsTest {
    @TempDir
    Path dir;

    private OnnxFormatException readFails(Path p) {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(p).close());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
        return e;
    }

    @Test
    void emptyFile() throws IOException {
        Path p = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertTrue(readFails(p).getMessage().contains("empty.onnx"));
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] full = TinyModels.everything().toByteArray();
        Path p = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(full, full.length / 2));
        String m = readFails(p).getMessage();
        assertTrue(m.contains("cut.onnx") && m.contains("truncated"), m);
    }

    @Test
    void fileCutRightAfterTheGraphIsCaught() throws IOException {
        // fields are written in number order: graph (7) then opset_import (8), so cutting there parses cleanly
        ModelProto m = TinyModels.matMulAdd();
        ModelProto noOpsets = m.toBuilder().clearOpsetImport().build();
        Path p = Files.write(dir.resolve("cut.onnx"), noOpsets.toByteArray());
        assertTrue(readFails(p).getMessage().contains("opset_import"));
    }

    @Test
    void notProtobuf() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        Path p = Files.write(dir.resolve("picture.onnx"), png);
        assertTrue(readFails(p).getMessage().contains("picture.onnx"));
        Path text = Files.writeString(dir.resolve("notes.onnx"), "this is not a model at all\n");
        assertTrue(readFails(text).getMessage().contains("notes.onnx"));
    }

    @Test
    void protobufButNotOnnx() throws IOException {
        byte[] other = StringStringEntryProto.newBuilder().setKey("k").setValue("v").build().toByteArray();
        Path p = Files.write(dir.resolve("other.pb"), other);
        String m = readFails(p).getMessage();
        assertTrue(m.contains("not an ONNX model"), m);
        Path noGraph = Files.write(dir.resolve("nograph.onnx"),
                ModelProto.newBuilder().setIrVersion(8).build().toByteArray());
        assertTrue(readFails(noGraph).getMessage().contains("no graph"));
    }

    private Path modelWithExternalW(String location, long offset, long length) throws IOException {
        ModelProto m = TinyModels.matMulAdd();
        TensorProto w = m.getGraph().getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(TinyModels.entry("location", location))
                .addExternalData(TinyModels.entry("offset", Long.toString(offset)))
                .addExternalData(TinyModels.entry("length", Long.toString(length)))
                .build();
        ModelProto ext = m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, w)).build();
        Path sub = Files.createDirectories(dir.resolve("models"));
        return TinyModels.save(ext, sub.resolve("ext.onnx"));
    }

    @Test
    void externalPathLeavingTheFolderIsRefused() throws IOException {
        Files.write(dir.resolve("outside.data"), new byte[64]);
        String m = readFails(modelWithExternalW("../outside.data", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("leaves the model's folder"), m);
        m = readFails(modelWithExternalW("sub/../../outside.data", 0, 48)).getMessage();
        assertTrue(m.contains("'W'"), m);
    }

    @Test
    void externalDataThroughALinkToAFileOutsideIsRefused() throws IOException {
        Path secret = Files.write(dir.resolve("secret.txt"), new byte[64]);
        Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(dir.resolve("models/w.bin"), secret);
        String m = readFails(modelWithExternalW("w.bin", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("link") && m.contains("outside the model's folder"), m);
    }

    @Test
    void externalDataThroughALinkedFolderIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.write(elsewhere.resolve("w.bin"), new byte[64]);
        Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(dir.resolve("models/sub"), elsewhere);
        String m = readFails(modelWithExternalW("sub/w.bin", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("outside the model's folder"), m);
    }

    @Test
    void externalDataThatIsAFolderOrAFifoIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("models/w.bin"));
        String m = readFails(modelWithExternalW("w.bin", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("not a regular file"), m);
        Path fifo = OutputFileTest.fifo(dir.resolve("models/pipe"));
        m = readFails(modelWithExternalW(fifo.getFileName().toString(), 0, 48)).getMessage();
        assertTrue(m.contains("not a regular file"), m);
    }

    @Test
    void linksThatStayInsideTheModelsRealFolderAreFollowed() throws IOException {
        // the layout of a Hugging Face cache: the model and its data are links into one blobs folder
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        Path model = modelWithExternalW("w.bin", 0, 48);
        Files.move(model, blobs.resolve("model-blob"));
        Files.createSymbolicLink(model, blobs.resolve("model-blob"));
        Files.write(blobs.resolve("data-blob"), new byte[48]);
        Files.createSymbolicLink(model.resolveSibling("w.bin"), blobs.resolve("data-blob"));
        try (OnnxModelFile f = OnnxModelFile.read(model)) {
            assertEquals(48, f.initializer("W").byteSize());
            assertEquals(java.util.Set.of(blobs.resolve("data-blob").toRealPath()), f.dataFiles());
        }
    }

    @Test
    void absoluteExternalPathIsRefused() throws IOException {
        Path abs = Files.write(dir.resolve("abs.data"), new byte[64]);
        String m = readFails(modelWithExternalW(abs.toString(), 0, 48)).getMessage();
        assertTrue(m.contains("absolute"), m);
    }

    @Test
    void missingDataFileNamesTensorAndFile() throws IOException {
        String m = readFails(modelWithExternalW("weights.bin", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("weights.bin") && m.contains("not found"), m);
    }

    @Test
    void dataFileTooShortOrWrongLength() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models").resolve("w.bin"), new byte[40]);
        String m = readFails(modelWithExternalW("w.bin", 0, 48)).getMessage();
        assertTrue(m.contains("'W'") && m.contains("w.bin"), m);
        Files.write(dir.resolve("models").resolve("w.bin"), new byte[100]);
        m = readFails(modelWithExternalW("w.bin", 0, 40)).getMessage();
        assertTrue(m.contains("length 40") && m.contains("48"), m);
        // a valid one for contrast: bytes 52..100 of the file
        try (OnnxModelFile f = OnnxModelFile.read(modelWithExternalW("w.bin", 52, 48))) {
            assertEquals(48, f.initializer("W").byteSize());
        }
    }

    @Test
    void writingOverTheInputIsRefused() throws IOException {
        Path in = TinyModels.save(TinyModels.matMulAdd(), dir.resolve("in.onnx"));
        Path ext = dir.resolve("ext.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxModelWriter.write(m, in, WriteOptions.inline()));
            assertTrue(e.getMessage().contains("in.onnx"), e.getMessage());
            // through another spelling of the same path
            assertThrows(IllegalArgumentException.class, () -> OnnxModelWriter.write(m,
                    dir.resolve("sub/../in.onnx"), WriteOptions.inline()));
            OnnxModelWriter.write(m, ext, WriteOptions.external().withExternalThreshold(0));
        }
        byte[] before = Files.readAllBytes(dir.resolve("ext.onnx.data"));
        try (OnnxModelFile m = OnnxModelFile.read(ext)) {
            // writing "ext.onnx" again would replace both the model and its data file
            assertThrows(IllegalArgumentException.class, () -> OnnxModelWriter.write(m, ext, WriteOptions.external()));
            // a model named like the data file minus ".data" would write its data over ext.onnx.data
            Files.createSymbolicLink(dir.resolve("alias.onnx.data"), dir.resolve("ext.onnx.data"));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxModelWriter.write(m, dir.resolve("alias.onnx"), WriteOptions.external()));
            assertTrue(e.getMessage().contains("ext.onnx.data"), e.getMessage());
        }
        assertEquals(Arrays.toString(before), Arrays.toString(Files.readAllBytes(dir.resolve("ext.onnx.data"))));
        assertFalse(Files.exists(dir.resolve("alias.onnx")));
    }

    @Test
    void externalTensorWithoutItsFileCannotBeWritten() throws IOException {
        Path in = TinyModels.save(TinyModels.matMulAdd(), dir.resolve("in.onnx"));
        Path ext = dir.resolve("ext.onnx");
        ModelProto p;
        try (OnnxModelFile m = OnnxModelFile.read(in)) {
            OnnxModelWriter.write(m, ext, WriteOptions.external().withExternalThreshold(0));
        }
        try (OnnxModelFile m = OnnxModelFile.read(ext)) {
            p = m.proto();
        }
        var e = assertThrows(OnnxFormatException.class, () -> OnnxModelWriter.write(p, dir.resolve("x.onnx")));
        assertTrue(e.getMessage().contains("'W'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
