package dev.rba.core.data;

import java.util.Locale;

/** Element types that calibration tensors and .npy arrays may have, with their sizes and NumPy type codes. */
public enum ElementType {
    FLOAT32("float32", 4, 'f'),
    FLOAT16("float16", 2, 'f'),
    FLOAT64("float64", 8, 'f'),
    INT8("int8", 1, 'i'),
    INT16("int16", 2, 'i'),
    INT32("int32", 4, 'i'),
    INT64("int64", 8, 'i'),
    UINT8("uint8", 1, 'u'),
    UINT16("uint16", 2, 'u'),
    UINT32("uint32", 4, 'u'),
    UINT64("uint64", 8, 'u'),
    BOOL("bool", 1, 'b');

    private final String typeName;
    private final int byteSize;
    private final char numpyKind;

    ElementType(String typeName, int byteSize, char numpyKind) {
        this.typeName = typeName;
        this.byteSize = byteSize;
        this.numpyKind = numpyKind;
    }

    /** The canonical lower-case name, e.g. "float32", "int64", "bool". */
    public String typeName() {
        return typeName;
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
            if (t.typeName.equals(n)) return t;
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
