package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;

/**
 * ONNX tensor element types with their storage width in raw_data / external data; each constant is named as in
 * TensorProto.DataType, which holds the codes. Sub-byte types (4-bit) are packed two per byte, so sizes are computed
 * in bits and rounded up to whole bytes.
 */
public enum TensorDataType {
    UNDEFINED(0),
    FLOAT(32),
    UINT8(8),
    INT8(8),
    UINT16(16),
    INT16(16),
    INT32(32),
    INT64(64),
    STRING(0),
    BOOL(8),
    FLOAT16(16),
    DOUBLE(64),
    UINT32(32),
    UINT64(64),
    COMPLEX64(64),
    COMPLEX128(128),
    BFLOAT16(16),
    FLOAT8E4M3FN(8),
    FLOAT8E4M3FNUZ(8),
    FLOAT8E5M2(8),
    FLOAT8E5M2FNUZ(8),
    UINT4(4),
    INT4(4),
    FLOAT4E2M1(4);

    /** Bits per element in raw storage; 0 for STRING and UNDEFINED, which have no fixed-width raw form. */
    private final int bits;

    TensorDataType(int bits) {
        this.bits = bits;
    }

    /** The TensorProto.data_type code. */
    public int code() {
        return TensorProto.DataType.valueOf(name()).getNumber();
    }

    /** Whether elements have a fixed-width little-endian raw form (everything except STRING and UNDEFINED). */
    public boolean hasRawForm() {
        return bits > 0;
    }

    /** Raw bytes needed for {@code elements} elements (sub-byte types packed, rounded up). */
    public long byteSize(long elements) {
        if (!hasRawForm()) {
            throw new IllegalStateException(name() + " tensors have no fixed-size raw form");
        }
        return Math.ceilDiv(Math.multiplyExact(elements, (long) bits), 8L);
    }

    /** The type for a TensorProto.data_type code, or null when the code is not a known ONNX type. */
    public static TensorDataType fromCodeOrNull(int code) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(code);
        return type == null ? null : valueOf(type.name());
    }
}
