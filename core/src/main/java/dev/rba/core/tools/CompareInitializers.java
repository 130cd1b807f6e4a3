package dev.rba.core.tools;

import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.TensorBytes;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Developer tool: compares the floating-point initializers that two ONNX models share by name, e.g. the T matrices
 * that two backends fitted for the same span. Prints each tensor that differs with its largest relative difference.
 * Usage: {@code java -cp ... dev.rba.core.tools.CompareInitializers A.onnx B.onnx}. Exit code 0 when every shared
 * tensor agrees within 1e-3 relative (fp32 fits from different BLAS libraries), 1 otherwise.
 */
public final class CompareInitializers {
    private CompareInitializers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CompareInitializers A.onnx B.onnx");
            System.exit(2);
        }
        try (OnnxModelFile a = OnnxModelFile.read(Path.of(args[0])); OnnxModelFile b = OnnxModelFile.read(Path.of(args[1]))) {
            Map<String, TensorBytes> bByName = new HashMap<>();
            for (TensorBytes t : b.initializers()) bByName.put(t.name(), t);
            int shared = 0;
            int differing = 0;
            double worst = 0;
            for (TensorBytes ta : a.initializers()) {
                TensorBytes tb = bByName.get(ta.name());
                if (tb == null || !ta.isFloatingPoint() || ta.elementCount() != tb.elementCount()) continue;
                shared++;
                if (ta.equals(tb)) continue;
                float[] x = ta.toFloatArray();
                float[] y = tb.toFloatArray();
                double maxAbs = 0;
                double scale = 0;
                for (int i = 0; i < x.length; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(x[i] - y[i]));
                    scale = Math.max(scale, Math.abs(x[i]));
                }
                double rel = maxAbs / Math.max(scale, Float.MIN_NORMAL);
                worst = Math.max(worst, rel);
                differing++;
                System.out.printf("%-40s %d elements, max |a-b| %.3e, relative to max|a| %.3e%n", ta.name(), x.length, maxAbs, rel);
            }
            System.out.printf("%d shared float initializers, %d differ, worst relative difference %.3e%n", shared, differing, worst);
            System.exit(worst <= 1e-3 ? 0 : 1);
        }
    }
}
