package dev.rba.core.api;

import dev.rba.core.Rba;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.linalg.simd.VectorApi;

import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.JavaBackend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Run by {@link WithoutVectorApiTest} in a JVM started without {@code --add-modules jdk.incubator.vector}: the
 * java backend's products against fp64 sums ("products-error E") and the analysis on the java backend, one line per
 * span ("first-last BR"), after a line saying whether the module is there.
 */
public final class WithoutVectorApiMain {

    private WithoutVectorApiMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("vector-api " + VectorApi.PRESENT);
        System.out.println("products-error " + productsError(97, 45, 70));
        print(analyze(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2])));
    }

    /**
     * Largest error, relative to the largest entry, of the java backend's Gram of Z [rows, cols] and sgemm of
     * Z^T [cols, rows] times Z against fp64 sums (odd sizes, so the kernels' edge tiles run too).
     */
    static double productsError(int rows, int cols, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] z = new float[rows * cols];
        for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
        float[] zt = new float[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) zt[j * rows + i] = z[i * cols + j];
        double[] want = new double[cols * cols];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < cols; a++) {
                for (int b = 0; b < cols; b++) want[a * cols + b] += (double) z[i * cols + a] * z[i * cols + b];
            }
        }
        try (JavaBackend java = new JavaBackend(1); Arena arena = Arena.ofConfined();
             GramAccumulator gram = java.newGramAccumulator(cols)) {
            MemorySegment zs = arena.allocateFrom(ValueLayout.JAVA_FLOAT, z);
            MemorySegment zts = arena.allocateFrom(ValueLayout.JAVA_FLOAT, zt);
            MemorySegment c = arena.allocate((long) cols * cols * Float.BYTES);
            gram.add(zs, rows);
            java.sgemm(cols, cols, rows, zts, zs, c);
            double[] g = gram.gram();
            double max = 0;
            double err = 0;
            for (int i = 0; i < want.length; i++) {
                max = Math.max(max, Math.abs(want[i]));
                err = Math.max(err, Math.max(Math.abs(g[i] - want[i]), Math.abs(c.getAtIndex(ValueLayout.JAVA_FLOAT, i) - want[i])));
            }
            return err / max;
        }
    }

    static RedundancyReport analyze(Path model, Path data, int samples) throws Exception {
        try (Rba rba = Rba.open(model, new Rba.Settings("java", 32, 1, null, 0))) {
            return rba.analyze(data, samples);
        }
    }

    static void print(RedundancyReport report) {
        for (SpanScore s : report.spans()) {
            System.out.println(s.firstBlock() + "-" + s.lastBlock() + " " + s.br());
        }
    }
}
