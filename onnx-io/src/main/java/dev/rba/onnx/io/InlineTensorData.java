package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The raw little-endian bytes of a tensor stored inside the protobuf: raw_data is wrapped without copying (a
 * read-only heap segment over the parsed bytes); the typed fields (float_data, int32_data, ...) are packed into a
 * new heap segment laid out as raw_data would be.
 */
final class InlineTensorData {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private InlineTensorData() {
    }

    /**
     * Checks, without copying anything, that an inline tensor's data agrees with its type and dims: raw_data of
     * exactly the bytes they need, or the typed field ONNX uses for the type with one value per element (two for
     * complex types, one packed byte for two 4-bit elements); STRING tensors need one string per element.
     */
    static void check(TensorProto t) {
        TensorDataType type = TensorShapes.dataType(t);
        long n = TensorShapes.elementCount(t);
        if (type == TensorDataType.STRING) {
            if (t.hasRawData() || t.getStringDataCount() != n) {
                throw new OnnxFormatException("tensor '" + t.getName() + "' of type STRING has " + (t.hasRawData()
                        ? "raw_data" : t.getStringDataCount() + " strings") + " but its dims need " + n
                        + " strings; re-export the model");
            }
            return;
        }
        long expected = TensorShapes.rawByteSize(t);
        if (t.hasRawData()) {
            if (t.getRawData().size() != expected) {
                throw new OnnxFormatException("tensor '" + t.getName() + "' has " + t.getRawData().size()
                        + " bytes of raw_data but its type and dims need " + expected + "; re-export the model");
            }
            return;
        }
        int typedCount = typedFieldCount(t, type);
        if (typedCount == 0 && expected > 0) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has no data (no raw_data, no typed values, "
                    + "not external); re-export the model");
        }
        long need = switch (type) {
            case COMPLEX64, COMPLEX128 -> 2 * n;
            case INT4, UINT4, FLOAT4E2M1 -> expected;
            default -> n;
        };
        if (typedCount != need) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has " + typedCount
                    + " typed values but its dims need " + need + "; re-export the model");
        }
    }

    static MemorySegment bytesOf(TensorProto t) {
        check(t);
        long expected = TensorShapes.rawByteSize(t);
        if (t.hasRawData()) {
            return MemorySegment.ofBuffer(t.getRawData().asReadOnlyByteBuffer());
        }
        TensorDataType type = TensorShapes.dataType(t);
        int typedCount = typedFieldCount(t, type);
        if (expected > Integer.MAX_VALUE - 8) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' is too large for inline typed values");
        }
        MemorySegment out = MemorySegment.ofArray(new byte[(int) expected]);
        switch (type) {
            case FLOAT, COMPLEX64 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(F32, 4L * i, t.getFloatData(i));
                }
            }
            case DOUBLE, COMPLEX128 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(F64, 8L * i, t.getDoubleData(i));
                }
            }
            case INT64 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(I64, 8L * i, t.getInt64Data(i));
                }
            }
            case UINT64 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(I64, 8L * i, t.getUint64Data(i));
                }
            }
            case UINT32 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(I32, 4L * i, (int) t.getUint64Data(i));
                }
            }
            case INT32 -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(I32, 4L * i, t.getInt32Data(i));
                }
            }
            case INT16, UINT16, FLOAT16, BFLOAT16 -> {
                // 16-bit types keep one element (or its bit pattern) per int32_data entry.
                for (int i = 0; i < typedCount; i++) {
                    out.set(I16, 2L * i, (short) t.getInt32Data(i));
                }
            }
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> {
                for (int i = 0; i < typedCount; i++) {
                    out.set(ValueLayout.JAVA_BYTE, i, (byte) t.getInt32Data(i));
                }
            }
            case INT4, UINT4, FLOAT4E2M1 -> {
                // 4-bit types are packed two per byte, one packed byte per int32_data entry.
                for (int i = 0; i < typedCount; i++) {
                    out.set(ValueLayout.JAVA_BYTE, i, (byte) t.getInt32Data(i));
                }
            }
            default -> throw new OnnxFormatException("tensor '" + t.getName() + "' of type " + type
                    + " has no raw byte form");
        }
        return out.asReadOnly();
    }

    /** Number of values in the typed field that ONNX uses for this element type. */
    static int typedFieldCount(TensorProto t, TensorDataType type) {
        return switch (type) {
            case FLOAT, COMPLEX64 -> t.getFloatDataCount();
            case DOUBLE, COMPLEX128 -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            case STRING -> t.getStringDataCount();
            default -> t.getInt32DataCount();
        };
    }
}
