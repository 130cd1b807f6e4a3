package dev.rba.core.fit;

import dev.rba.core.linalg.Fp64Products;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.rba.core.stats.ClassBackends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.linalg.Backend;
import dev.rba.core.stats.Activations;
import dev.rba.core.stats.StatisticsAccumulator;
import dev.rba.core.stats.StatisticsPlan;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;

/** Fits from statistics recover planted maps; the QR fit on rows agrees, and wins on ill-conditioned data. */
@ExtendWith(ClassBackends.class)
class LinearFitsTest {

    static final int D = 8;

    /** {@code rows} samples of one token of D standard normal values. */
    private static float[] gaussianRows(Random rnd, int rows) {
        return Activations.random(rnd, rows, 1, D, 1.0, 0.0);
    }

    /** The fit of y on x, both D-wide rows, from their statistics. */
    private static FitResult fitRows(Backend backend, float[] x, float[] y, int rows, FitMethod method) {
        return LinearFits.fit(statistics(backend, x, y, rows, D, D), 0, 1, method, backend);
    }

    /** Statistics of two streams given as rows [rows, d] (one token per sample), fed in batches of 50. */
    static StreamStatistics statistics(Backend backend, float[] x, float[] y, int rows, int dx, int dy) {
        StatisticsPlan plan = StatisticsPlan.chosenPairs(List.of("x", "y"), new int[] {dx, dy}, TokenSelection.CLS,
                TokenSelection.CLS, List.of(new StreamPair(0, 1)));
        try (StatisticsAccumulator acc = new StatisticsAccumulator(backend, plan); Arena arena = Arena.ofConfined()) {
            for (int first = 0; first < rows; first += 50) {
                int n = Math.min(50, rows - first);
                float[] xb = java.util.Arrays.copyOfRange(x, first * dx, (first + n) * dx);
                float[] yb = java.util.Arrays.copyOfRange(y, first * dy, (first + n) * dy);
                acc.add(n, 1, new MemorySegment[] {Activations.offHeap(arena, xb), Activations.offHeap(arena, yb)}, null);
            }
            return acc.snapshot();
        }
    }

    static double[] randomMatrix(Random rnd, int m, int n) {
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian() / Math.sqrt(m);
        return a;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** ||X T + b - Y||^2 / ||Y||^2 on the rows, in double: the reference for the residual from statistics. */
    static double directResidual(FitResult fit, float[] x, float[] y, int rows) {
        double[] pred = fit.apply(Activations.toDouble(x), rows);
        double num = 0;
        double den = 0;
        for (int i = 0; i < y.length; i++) {
            num += (pred[i] - y[i]) * (pred[i] - y[i]);
            den += (double) y[i] * y[i];
        }
        return num / den;
    }

    @ClassBackends.EachBackend
    void linearFitRecoversAPlantedMapAndAgreesWithQR(Backend backend) {
        Random rnd = new Random(1);
        int rows = 400;
        int dy = 6;
        double[] t = randomMatrix(rnd, D, dy);
        float[] x = Activations.random(rnd, rows, 1, D, 1.0, 0.3);
        float[] y = Activations.map(x, rows, D, t, dy, rnd, 0.01);
        FitResult fit = LinearFits.leastSquares(statistics(backend, x, y, rows, D, dy), 0, 1, false, 0.0, backend);
        assertEquals("linear", fit.method());
        assertNull(fit.bias());
        assertEquals(0.0, fit.ridgeLambda());
        assertTrue(fit.conditionNumber() > 1 && fit.conditionNumber() < 100, "cond " + fit.conditionNumber());
        assertTrue(fit.warnings().isEmpty(), fit.warnings().toString());
        assertTrue(maxAbsDiff(t, fit.t()) < 5e-3, "T recovered up to the noise: " + maxAbsDiff(t, fit.t()));
        assertEquals(directResidual(fit, x, y, rows), fit.relativeResidual(), 1e-6);
        FitResult qr = LinearFits.fitDirectQR(Activations.toDouble(x), Activations.toDouble(y), rows, D, dy, false,
                backend);
        assertEquals("linear-qr", qr.method());
        assertTrue(maxAbsDiff(qr.t(), fit.t()) < 1e-5, "QR and normal equations agree: " + maxAbsDiff(qr.t(), fit.t()));
        assertEquals(qr.relativeResidual(), fit.relativeResidual(), 1e-6);
    }

    @ClassBackends.EachBackend
    void fitsWithSharedSpectraEqualFitsWithout(Backend backend) {
        // a selection fits many spans from one input stream; their Gram's eigenvalues are computed once
        Random rnd = new Random(5);
        int rows = 200;
        float[] x = Activations.random(rnd, rows, 1, D, 1.0, 2.0);
        float[] y = Activations.map(x, rows, D, randomMatrix(rnd, D, D), D, rnd, 0.05);
        StreamStatistics stats = statistics(backend, x, y, rows, D, D);
        GramSpectra spectra = new GramSpectra(stats, backend);
        for (FitMethod m : List.of(FitMethod.LINEAR, FitMethod.AFFINE, FitMethod.LINEAR)) {
            FitResult plain = LinearFits.fit(stats, 0, 1, m, Ridge.NONE, backend);
            FitResult shared = LinearFits.fit(stats, 0, 1, m, Ridge.NONE, backend, spectra);
            assertEquals(0.0, maxAbsDiff(plain.t(), shared.t()), m.name());
            assertEquals(plain.relativeResidual(), shared.relativeResidual(), 0.0);
            assertEquals(plain.conditionNumber(), shared.conditionNumber(), 0.0);
        }
        StreamStatistics other = statistics(backend, y, x, rows, D, D);
        assertFalse(spectra.of(other));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LinearFits.fit(other, 0, 1, FitMethod.LINEAR, Ridge.NONE, backend, spectra));
    }

    @ClassBackends.EachBackend
    void affineFitRecoversAPlantedMapAndBias(Backend backend) {
        Random rnd = new Random(2);
        int rows = 300;
        double[] t = randomMatrix(rnd, D, D);
        double[] b = {0.5, -1, 2, 0, 3, -0.25, 1, 7};
        float[] x = Activations.random(rnd, rows, 1, D, 1.0, 2.0);
        float[] y = Activations.map(x, rows, D, t, D, rnd, 0);
        for (int r = 0; r < rows; r++) for (int j = 0; j < D; j++) y[r * D + j] += (float) b[j];
        StreamStatistics stats = statistics(backend, x, y, rows, D, D);
        FitResult fit = LinearFits.fit(stats, 0, 1, FitMethod.AFFINE, backend);
        assertNotNull(fit.bias());
        assertTrue(maxAbsDiff(t, fit.t()) < 1e-4, "T: " + maxAbsDiff(t, fit.t()));
        assertTrue(maxAbsDiff(b, fit.bias()) < 1e-4, "bias: " + maxAbsDiff(b, fit.bias()));
        assertEquals(directResidual(fit, x, y, rows), fit.relativeResidual(), 1e-6);
        FitResult linear = LinearFits.fit(stats, 0, 1, FitMethod.LINEAR, backend);
        assertTrue(linear.relativeResidual() > 1e-3, "without bias the offset cannot be fitted");
        FitResult qr = LinearFits.fitDirectQR(Activations.toDouble(x), Activations.toDouble(y), rows, D, D, true,
                backend);
        assertTrue(maxAbsDiff(qr.bias(), fit.bias()) < 1e-4);
    }

    @ClassBackends.EachBackend
    void procrustesRecoversAPlantedRotation(Backend backend) {
        Random rnd = new Random(3);
        int rows = 200;
        double[] q = Activations.randomOrthogonal(rnd, D);
        float[] x = gaussianRows(rnd, rows);
        float[] y = Activations.map(x, rows, D, q, D, rnd, 0.001);
        FitResult fit = fitRows(backend, x, y, rows, FitMethod.ORTHOGONAL);
        assertTrue(maxAbsDiff(q, fit.t()) < 1e-3, "Q: " + maxAbsDiff(q, fit.t()));
        double[] qtq = Fp64Products.multiply(transpose(fit.t(), D), fit.t(), D, D, D);
        for (int i = 0; i < D; i++) qtq[i * D + i] -= 1;
        assertTrue(maxAbsDiff(qtq, new double[D * D]) < 1e-10, "the fit is orthogonal");
        assertEquals(directResidual(fit, x, y, rows), fit.relativeResidual(), 1e-6);
    }

    @ClassBackends.EachBackend
    void identityResidualIsTheRelativeSquaredDifference(Backend backend) {
        Random rnd = new Random(4);
        int rows = 100;
        float[] x = gaussianRows(rnd, rows);
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) y[i] += (float) (0.1 * rnd.nextGaussian());
        FitResult fit = fitRows(backend, x, y, rows, FitMethod.IDENTITY);
        assertEquals(directResidual(fit, x, y, rows), fit.relativeResidual(), 1e-9);
    }

    @ClassBackends.EachBackend
    void ridgeKicksInOnARankDeficientInput(Backend backend) {
        Random rnd = new Random(5);
        int rows = 300;
        float[] x = gaussianRows(rnd, rows);
        for (int r = 0; r < rows; r++) {
            x[r * D + 6] = 0;              // a dead dimension
            x[r * D + 7] = x[r * D + 2];   // and a duplicated one
        }
        double[] t = randomMatrix(rnd, D, D);
        float[] y = Activations.map(x, rows, D, t, D, rnd, 0);
        FitResult fit = fitRows(backend, x, y, rows, FitMethod.LINEAR);
        assertTrue(fit.ridgeLambda() > 0, "ridge used");
        assertTrue(fit.conditionNumber() > 1e12, "condition number " + fit.conditionNumber());
        assertFalse(fit.warnings().isEmpty());
        assertTrue(fit.warnings().getFirst().contains("singular"), fit.warnings().getFirst());
        assertTrue(fit.relativeResidual() < 1e-6, "the ridge fit still predicts Y: " + fit.relativeResidual());
        assertEquals(directResidual(fit, x, y, rows), fit.relativeResidual(), 1e-6);
        double worst = 0;
        for (double v : fit.t()) worst = Math.max(worst, Math.abs(v));
        assertTrue(worst < 10, "no blow-up in the null space: max |T| = " + worst);
    }

    @ClassBackends.EachBackend
    void qrBeatsNormalEquationsOnIllConditionedInput(Backend backend) {
        // Near-collinear columns (c and c + 4 differ by eps-sized noise): no diagonal rescaling undoes this.
        // eps = 1e-3: cond(X^T X) ~ 1e7, past the fp32-Gram warning, still solved without a ridge.
        // eps = 3e-5: cond(X^T X) ~ 1e10, below the fp32 Gram's noise floor, so the Gram is singular: ridge.
        for (double eps : new double[] {1e-3, 3e-5}) {
            Random rnd = new Random(6);
            int rows = 400;
            float[] x = gaussianRows(rnd, rows);
            for (int r = 0; r < rows; r++) {
                for (int c = D / 2; c < D; c++) x[r * D + c] = x[r * D + c - D / 2] + (float) (eps * rnd.nextGaussian());
            }
            double[] t = randomMatrix(rnd, D, D);
            float[] y = Activations.map(x, rows, D, t, D, rnd, 0);
            FitResult ne = fitRows(backend, x, y, rows, FitMethod.LINEAR);
            FitResult qr = LinearFits.fitDirectQR(Activations.toDouble(x), Activations.toDouble(y), rows, D, D, false,
                    backend);
            double errNe = maxAbsDiff(t, ne.t());
            double errQr = maxAbsDiff(t, qr.t());
            System.out.printf("%s eps %.0e: cond(G) %.3g, ridge %.3g, max |T error| QR %.3g, normal equations %.3g%n",
                    backend.name(), eps, ne.conditionNumber(), ne.ridgeLambda(), errQr, errNe);
            assertTrue(ne.conditionNumber() > NormalEquations.WARN_COND_FP32_GRAM, "cond " + ne.conditionNumber());
            assertFalse(ne.warnings().isEmpty(), "an ill-conditioned fit is flagged");
            assertEquals(eps < 1e-4, ne.ridgeLambda() > 0, "ridge only where the Gram is numerically singular");
            assertTrue(errQr * 10 < errNe, "QR error " + errQr + " vs normal equations " + errNe);
            // Both still predict well: the error lives in directions X barely spans.
            assertTrue(directResidual(ne, x, y, rows) < 1e-5, "normal equations residual");
            assertTrue(qr.relativeResidual() < 1e-10, "QR residual " + qr.relativeResidual());
        }
    }

    private static double[] transpose(double[] a, int d) {
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) t[j * d + i] = a[i * d + j];
        return t;
    }
}
