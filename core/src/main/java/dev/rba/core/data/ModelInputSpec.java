package dev.rba.core.data;

import java.util.Arrays;

/**
 * What the loaders need to know about one model input, without depending on onnx-io: its name, its element type as
 * a string ("float32", "float16", "int64", ... or ONNX's "float"/"double") and its shape, -1 for a dynamic dimension
 * (axis 0 is the batch axis).
 */
public record ModelInputSpec(String name, String elementType, long[] shape) {
    public ModelInputSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public ElementType type() {
        return ElementType.parse(elementType);
    }

    public int rank() {
        return shape.length;
    }

    /** The shape as people write it: dynamic batch as N, other dynamic dimensions as ?, e.g. [N,1,28,28]. */
    public String shapeText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(shape[i] >= 0 ? Long.toString(shape[i]) : i == 0 ? "N" : "?");
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelInputSpec m && name.equals(m.name) && elementType.equals(m.elementType)
                && Arrays.equals(shape, m.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + elementType + shapeText();
    }
}
