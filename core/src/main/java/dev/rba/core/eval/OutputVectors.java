package dev.rba.core.eval;

/** Per-sample views of a batch output flattened row-major: sample s is values[s*width .. (s+1)*width). */
final class OutputVectors {
    private OutputVectors() {
    }

    /** Index of the largest element of sample {@code s}; the first one on ties, NaN never wins. */
    static int argmax(float[] values, int s, int width) {
        int base = s * width;
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            float v = values[base + i];
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    /** Cosine of sample s of a and b; 1 when both are zero vectors, 0 when only one is. Accumulated in double. */
    static double cosine(float[] a, float[] b, int s, int width) {
        int base = s * width;
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < width; i++) {
            double x = a[base + i], y = b[base + i];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        if (na == 0 && nb == 0) return 1.0;
        if (na == 0 || nb == 0) return 0.0;
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    static double maxAbsDiff(float[] a, float[] b, int s, int width) {
        int base = s * width;
        double m = 0;
        for (int i = 0; i < width; i++) m = Math.max(m, Math.abs((double) a[base + i] - b[base + i]));
        return m;
    }
}
