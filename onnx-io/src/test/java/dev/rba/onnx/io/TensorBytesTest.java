package dev.rba.onnx.io;

import com.google.protobuf.ByteString;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed-field tensors become the raw bytes ONNX defines for them; float conversions match known bit patterns. */
class TensorBytesTest {
    @TempDir
    Path dir;

    private static TensorBytes bytes(TensorProto t) {
        return new TensorBytes(t.getName(), TensorShapes.dataType(t), t.getDimsList().stream().mapToLong(Long::longValue)
                .toArray(), TensorDataSources.inlineOnly().bytesOf(t));
    }

    @Test
    void float16AndBfloat16FromKnownBitPatterns() {
        // IEEE half: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, 65504 = 0x7BFF (largest finite)
        TensorProto h = TensorProto.newBuilder().setName("h").setDataType(TensorDataType.FLOAT16.code()).addDims(4)
                .addInt32Data(0x3C00).addInt32Data(0xC000).addInt32Data(0x3800).addInt32Data(0x7BFF).build();
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f}, bytes(h).toFloatArray());
        assertEquals(8, bytes(h).byteSize());
        // bfloat16 is the top half of float32: 1.0 = 0x3F80, -3.0 = 0xC040, pi ~ 0x4049 = 3.140625
        TensorProto bf = TensorProto.newBuilder().setName("bf").setDataType(TensorDataType.BFLOAT16.code()).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[] {(byte) 0x80, 0x3F, 0x40, (byte) 0xC0, 0x49, 0x40}))
                .build();
        assertArrayEquals(new float[] {1f, -3f, 3.140625f}, bytes(bf).toFloatArray());
    }

    @Test
    void typedFieldsBecomeLittleEndianRawBytes() {
        TensorProto f = TensorProto.newBuilder().setName("f").setDataType(TensorDataType.FLOAT.code()).addDims(2)
                .addDims(2).addFloatData(1.5f).addFloatData(-2f).addFloatData(0f).addFloatData(1e30f).build();
        TensorBytes fb = bytes(f);
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 1e30f}, fb.toFloatArray());
        // 1.5f = 0x3FC00000, little-endian first
        assertEquals((byte) 0xC0, fb.data().get(ValueLayout.JAVA_BYTE, 2));
        assertEquals((byte) 0x3F, fb.data().get(ValueLayout.JAVA_BYTE, 3));

        TensorProto d = TensorProto.newBuilder().setName("d").setDataType(TensorDataType.DOUBLE.code()).addDims(2)
                .addDoubleData(0.1).addDoubleData(-7).build();
        assertArrayEquals(new float[] {0.1f, -7f}, bytes(d).toFloatArray());

        TensorProto i64 = TensorProto.newBuilder().setName("i").setDataType(TensorDataType.INT64.code()).addDims(2)
                .addInt64Data(-1).addInt64Data(1L << 40).build();
        var seg = bytes(i64).data();
        assertEquals(-1L, seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        assertEquals(1L << 40, seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
        assertThrows(IllegalStateException.class, () -> bytes(i64).toFloatArray());

        TensorProto u8 = TensorProto.newBuilder().setName("u").setDataType(TensorDataType.UINT8.code()).addDims(3)
                .addInt32Data(255).addInt32Data(0).addInt32Data(7).build();
        assertEquals(3, bytes(u8).byteSize());
        assertEquals((byte) 255, bytes(u8).data().get(ValueLayout.JAVA_BYTE, 0));

        TensorProto i4 = TensorProto.newBuilder().setName("q").setDataType(TensorDataType.INT4.code()).addDims(3)
                .addInt32Data(0x21).addInt32Data(0x03).build();
        assertEquals(2, bytes(i4).byteSize()); // three 4-bit values take two bytes
    }

    @Test
    void wrongCountsAreFormatErrors() {
        TensorProto f = TensorProto.newBuilder().setName("short").setDataType(TensorDataType.FLOAT.code()).addDims(3)
                .addFloatData(1).build();
        assertTrue(assertThrows(OnnxFormatException.class, () -> bytes(f)).getMessage().contains("'short'"));
        TensorProto raw = TensorProto.newBuilder().setName("raw").setDataType(TensorDataType.FLOAT.code()).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[11])).build();
        assertThrows(OnnxFormatException.class, () -> bytes(raw));
        TensorProto none = TensorProto.newBuilder().setName("empty").setDataType(TensorDataType.FLOAT.code())
                .addDims(3).build();
        assertTrue(assertThrows(OnnxFormatException.class, () -> bytes(none)).getMessage().contains("no data"));
    }

    @Test
    void typedFieldTensorsKeepTheirFormInlineAndMoveToRawWhenExternal() throws Exception {
        ModelProto base = TinyModels.matMulAdd();
        float[] w = TinyModels.weights();
        TensorProto.Builder typed = TensorProto.newBuilder().setName("W").setDataType(TensorDataType.FLOAT.code())
                .addDims(TinyModels.IN).addDims(TinyModels.OUT);
        for (float v : w) {
            typed.addFloatData(v);
        }
        ModelProto m = base.toBuilder().setGraph(base.getGraph().toBuilder().setInitializer(0, typed)).build();
        Path in = TinyModels.save(m, dir.resolve("typed.onnx"));
        try (OnnxModelFile f = OnnxModelFile.read(in)) {
            assertFalse(f.initializer("W").isMapped());
            OnnxModelWriter.write(f, dir.resolve("same.onnx"), WriteOptions.inline());
            OnnxModelWriter.write(f, dir.resolve("ext.onnx"), WriteOptions.external().withExternalThreshold(0));
        }
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(dir.resolve("same.onnx")));
        try (OnnxModelFile f = OnnxModelFile.read(dir.resolve("ext.onnx"))) {
            TensorProto t = f.proto().getGraph().getInitializer(0);
            assertEquals(0, t.getFloatDataCount());
            assertTrue(f.initializer("W").isMapped());
            assertArrayEquals(w, f.initializer("W").toFloatArray());
        }
        assertArrayEquals(OrtExternalDataTest.run(in)[1], OrtExternalDataTest.run(dir.resolve("ext.onnx"))[1]);
    }
}
