package dev.rba.onnx.io;

/**
 * ONNX tensor element types (TensorProto.DataType codes) with their storage width in raw_data / external data.
 * Sub-byte types (4-bit) are packed two per byte, so sizes are computed in bits and rounded up to whole bytes.
 */
public enum TensorDataType {
    UNDEFINED(0, 0),
    FLOAT(1, 32),
    UINT8(2, 8),
    INT8(3, 8),
    UINT16(4, 16),
    INT16(5, 16),
    INT32(6, 32),
    INT64(7, 64),
    STRING(8, 0),
    BOOL(9, 8),
    FLOAT16(10, 16),
    DOUBLE(11, 64),
    UINT32(12, 32),
    UINT64(13, 64),
    COMPLEX64(14, 64),
    COMPLEX128(15, 128),
    BFLOAT16(16, 16),
    FLOAT8E4M3FN(17, 8),
    FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8),
    FLOAT8E5M2FNUZ(20, 8),
    UINT4(21, 4),
    INT4(22, 4),
    FLOAT4E2M1(23, 4);

    private static final TensorDataType[] BY_CODE = new TensorDataType[24];

    static {
        for (TensorDataType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int bits;

    TensorDataType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** The TensorProto.data_type code. */
    public int code() {
        return code;
    }

    /** Bits per element in raw storage; 0 for STRING and UNDEFINED, which have no fixed-width raw form. */
    public int bitsPerElement() {
        return bits;
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
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
