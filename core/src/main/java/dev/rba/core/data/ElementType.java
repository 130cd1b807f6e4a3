package dev.rba.core.data;

import java.util.Locale;

/** Element types that calibration tensors and .npy arrays may have, with their sizes and NumPy type codes. */
public enum ElementType {
    FLOAT32(4, 'f'),
    FLOAT16(2, 'f'),
    FLOAT64(8, 'f'),
    INT8(1, 'i'),
    INT16(2, 'i'),
    INT32(4, 'i'),
    INT64(8, 'i'),
    UINT8(1, 'u'),
    UINT16(2, 'u'),
    UINT32(4, 'u'),
    UINT64(8, 'u'),
    BOOL(1, 'b');

    private final int byteSize;
    private final char numpyKind;

    ElementType(int byteSize, char numpyKind) {
        this.byteSize = byteSize;
        this.numpyKind = numpyKind;
    }

    /** The canonical name, the constant's in lower case: e.g. "float32", "int64", "bool". */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return numpyKind == 'f';
    }

    /** Signed or unsigned integer (bool is neither). */
    public boolean isInteger() {
        return numpyKind == 'i' || numpyKind == 'u';
    }

    /** The little-endian NumPy descr, e.g. "&lt;f4", "|u1", "|b1". */
    public String numpyDescr() {
        return (byteSize == 1 ? "|" : "<") + numpyKind + byteSize;
    }

    /**
     * Parses a type name as NumPy or ONNX spell it: "float32"/"float", "float64"/"double", "float16"/"half",
     * "int64", "uint8", "bool", ...
     */
    public static ElementType parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "float": return FLOAT32;
            case "double": return FLOAT64;
            case "half": return FLOAT16;
            case "boolean": return BOOL;
            default: break;
        }
        for (ElementType t : values()) {
            if (t.typeName().equals(n)) return t;
        }
        throw new InvalidInputException("unknown element type '" + name + "': use one of float32, float16, float64, "
                + "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool");
    }

    /** The type for a NumPy kind character and item size, or null when rba does not read it. */
    static ElementType fromNumpy(char kind, int size) {
        for (ElementType t : values()) {
            if (t.numpyKind == kind && t.byteSize == size) return t;
        }
        return null;
    }
}
