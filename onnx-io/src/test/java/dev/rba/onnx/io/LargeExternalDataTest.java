package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The > 2 GB mechanism on a sparse 3 GiB data file (no disk use): tensors beyond 2 GiB and a tensor larger than
 * 2 GiB are read through the mapping, not copied onto the heap.
 */
class LargeExternalDataTest {
    private static final long GIB = 1L << 30;
    private static final long FILE_SIZE = 3 * GIB;
    private static final long FAR_OFFSET = 5 * GIB / 2; // 2.5 GiB, beyond any int offset
    private static final float[] FAR_VALUES = {3.5f, -1.25f, 1e-3f, 65504f, -0f, 7f, 8f, 9f};

    @TempDir
    Path dir;

    private static TensorProto external(String name, long offset, long length, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorDataType.FLOAT.code())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(TinyModels.entry("location", "big.data"))
                .addExternalData(TinyModels.entry("offset", Long.toString(offset)))
                .addExternalData(TinyModels.entry("length", Long.toString(length)));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    private Path sparseModel() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big.data").toFile(), "rw")) {
            f.setLength(FILE_SIZE);
            ByteBuffer buf = ByteBuffer.allocate(4 * FAR_VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : FAR_VALUES) {
                buf.putFloat(v);
            }
            f.seek(FAR_OFFSET);
            f.write(buf.array());
        }
        ModelProto base = TinyModels.matMulAdd();
        ModelProto m = base.toBuilder().setGraph(base.getGraph().toBuilder()
                .addInitializer(external("far", FAR_OFFSET, 4L * FAR_VALUES.length, FAR_VALUES.length))
                .addInitializer(external("huge", 0, FILE_SIZE, FILE_SIZE / 4))).build();
        return TinyModels.save(m, dir.resolve("big.onnx"));
    }

    @Test
    void tensorsBeyondTwoGigabytesAreReadThroughTheMapping() throws Exception {
        Path model = sparseModel();
        long heapBefore = usedHeap();
        try (OnnxModelFile f = OnnxModelFile.read(model)) {
            TensorBytes far = f.initializer("far");
            assertTrue(far.isMapped(), "external tensor must be a mapped native segment");
            assertTrue(far.data().isReadOnly());
            for (int i = 0; i < FAR_VALUES.length; i++) {
                assertEquals(Float.floatToRawIntBits(FAR_VALUES[i]), Float.floatToRawIntBits(far.floatAt(i)));
            }

            TensorBytes huge = f.initializer("huge");
            assertTrue(huge.isMapped());
            assertEquals(FILE_SIZE, huge.byteSize());
            assertEquals(TinyModels.IN * TinyModels.OUT + TinyModels.OUT + FAR_VALUES.length + FILE_SIZE / 4,
                    f.parameterCount());
            long first = FAR_OFFSET / 4;
            for (int i = 0; i < FAR_VALUES.length; i++) {
                assertEquals(FAR_VALUES[i], huge.floatAt(first + i));
            }
            assertEquals(0f, huge.floatAt(FILE_SIZE / 4 - 1)); // a hole reads as zeros
            // both tensors are slices of one mapping of the same file
            assertEquals(far.data().address(), huge.data().address() + FAR_OFFSET);
            // the 3 GiB never came onto the heap (the whole test heap is 4 GiB)
            assertTrue(usedHeap() - heapBefore < GIB / 4, "heap grew by " + (usedHeap() - heapBefore));
        }
    }

    @Test
    void inlineSaveOverTwoGigabytesIsRefusedWithoutWritingAnything() throws Exception {
        Path model = sparseModel();
        try (OnnxModelFile f = OnnxModelFile.read(model)) {
            Path out = dir.resolve("inline.onnx");
            OnnxFormatException e = assertThrows(OnnxFormatException.class,
                    () -> OnnxModelWriter.write(f, out, WriteOptions.inline()));
            assertTrue(e.getMessage().contains("2 GB") && e.getMessage().contains("external"), e.getMessage());
            assertFalse(Files.exists(out));
            try (var files = Files.list(dir)) {
                assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
            }
        }
    }

    @Test
    void segmentsAreUnusableAfterClose() throws Exception {
        Path model = sparseModel();
        TensorBytes far;
        try (OnnxModelFile f = OnnxModelFile.read(model)) {
            far = f.initializer("far");
        }
        assertThrows(IllegalStateException.class, () -> far.floatAt(0));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
