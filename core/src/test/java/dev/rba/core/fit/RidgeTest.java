package dev.rba.core.fit;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.rba.core.stats.ClassBackends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.core.stats.Activations;
import dev.rba.core.stats.StreamStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ridge fit on a badly conditioned span (half the columns nearly copies of the other half, few rows): it equals
 * the least-squares solution of the augmented system [X; sqrt(lambda) I] W = [Y; 0] (Householder QR, fp64, no normal
 * equations), {@code auto} picks the lambda its rule states, and the ridge lowers the error on held-out rows.
 */
@ExtendWith(ClassBackends.class)
class RidgeTest {

    static final int D = 12;
    static final int TRAIN = 16;
    static final int TEST = 2000;

    /** Rows [rows, D]: columns 6..11 are columns 0..5 plus 1e-3 noise; all with mean 2 (so centring matters). */
    static float[] collinear(Random rnd, int rows) {
        float[] x = new float[rows * D];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < D / 2; c++) {
                double v = 2 + rnd.nextGaussian();
                x[r * D + c] = (float) v;
                x[r * D + c + D / 2] = (float) (v + 1e-3 * rnd.nextGaussian());
            }
        }
        return x;
    }

    static double[] t0(Random rnd) {
        double[] t = new double[D * D];
        for (int i = 0; i < t.length; i++) t[i] = rnd.nextGaussian() / Math.sqrt(D);
        return t;
    }

    /** Ridge by QR on [X_c; sqrt(lambda) I] W = [Y_c; 0], X_c and Y_c centred when {@code bias}. */
    static double[] augmentedQr(float[] x, float[] y, int rows, double lambda, boolean bias) {
        double[] mx = new double[D];
        double[] my = new double[D];
        if (bias) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < D; c++) {
                    mx[c] += x[r * D + c] / (double) rows;
                    my[c] += y[r * D + c] / (double) rows;
                }
            }
        }
        double[] a = new double[(rows + D) * D];
        double[] b = new double[(rows + D) * D];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < D; c++) {
                a[r * D + c] = x[r * D + c] - mx[c];
                b[r * D + c] = y[r * D + c] - my[c];
            }
        }
        for (int i = 0; i < D; i++) a[(rows + i) * D + i] = Math.sqrt(lambda);
        return HouseholderQr.leastSquares(rows + D, D, D, a, b);
    }

    @ClassBackends.EachBackend
    void ridgeIsTheClosedFormAndHelpsOnHeldOutRows(Backend backend) {
        Random rnd = new Random(11);
        double[] t = t0(rnd);
        float[] x = collinear(rnd, TRAIN);
        float[] y = Activations.map(x, TRAIN, D, t, D, rnd, 0.3);
        float[] xTest = collinear(rnd, TEST);
        float[] yTest = Activations.map(xTest, TEST, D, t, D, rnd, 0.3);
        StreamStatistics stats = LinearFitsTest.statistics(backend, x, y, TRAIN, D, D);

        for (boolean bias : new boolean[] {false, true}) {
            FitResult plain = LinearFits.leastSquares(stats, 0, 1, bias, Ridge.NONE, backend);
            FitResult ridge = LinearFits.leastSquares(stats, 0, 1, bias, Ridge.relative(1e-2), backend);
            FitResult auto = LinearFits.leastSquares(stats, 0, 1, bias, Ridge.AUTO, backend);
            String what = backend.name() + (bias ? " affine" : " linear");
            assertTrue(plain.conditionNumber() > Ridge.AUTO_CONDITION, what + ": badly conditioned, cond "
                    + plain.conditionNumber());
            assertTrue(plain.warnings().stream().anyMatch(w -> w.contains("--ridge auto")), plain.warnings().toString());

            // closed form: lambda = 1e-2 * trace(G)/d, T from the augmented QR
            double[] g = bias ? stats.centredGram(0) : stats.gram(0);
            double trace = 0;
            for (int i = 0; i < D; i++) trace += g[i * D + i];
            assertEquals(1e-2 * trace / D, ridge.ridgeLambda(), 1e-12 * trace);
            double[] ref = augmentedQr(x, y, TRAIN, ridge.ridgeLambda(), bias);
            assertTrue(LinearFitsTest.maxAbsDiff(ref, ridge.t()) < 1e-4, what + ": ridge T vs augmented QR "
                    + LinearFitsTest.maxAbsDiff(ref, ridge.t()));
            assertEquals(bias ? "affine-ridge" : "linear-ridge", ridge.method());

            // auto: the lambda that brings cond(G + lambda I) to 2^20, from G's extreme eigenvalues
            double[] eig = backend.symmetricEigen(D, g.clone(), null);
            double want = (eig[D - 1] - Ridge.AUTO_CONDITION * eig[0]) / (Ridge.AUTO_CONDITION - 1);
            assertEquals(want, auto.ridgeLambda(), 1e-6 * want, what + ": auto lambda");
            assertEquals(Ridge.AUTO_CONDITION, (eig[D - 1] + auto.ridgeLambda()) / (eig[0] + auto.ridgeLambda()),
                    1e-6 * Ridge.AUTO_CONDITION);
            assertTrue(LinearFitsTest.maxAbsDiff(augmentedQr(x, y, TRAIN, auto.ridgeLambda(), bias), auto.t()) < 0.05
                    * LinearFitsTest.maxAbsDiff(new double[D * D], auto.t()), what + ": auto T vs augmented QR");

            double errPlain = LinearFitsTest.directResidual(plain, xTest, yTest, TEST);
            double errRidge = LinearFitsTest.directResidual(ridge, xTest, yTest, TEST);
            double errAuto = LinearFitsTest.directResidual(auto, xTest, yTest, TEST);
            System.out.printf("%s: held-out relative error none %.4g, auto %.4g, 1e-2 %.4g%n", what, errPlain, errAuto,
                    errRidge);
            // seen: none 0.05-0.42 (it depends on rounding in the near-null direction; where the centred Gram is
            // numerically singular the plain fit already gets the fallback ridge), auto 0.026-0.029, 1e-2 0.025-0.029
            assertTrue(errRidge < 0.6 * errPlain, what + ": ridge " + errRidge + " vs none " + errPlain);
            assertTrue(errAuto < 0.6 * errPlain, what + ": auto " + errAuto + " vs none " + errPlain);
        }
    }

    @Test
    void parseAndRefusals() {
        assertEquals(Ridge.AUTO, Ridge.parse(" Auto "));
        assertEquals(Ridge.relative(1e-6), Ridge.parse("1e-6"));
        assertEquals(Ridge.NONE, Ridge.parse("0"));
        for (String bad : new String[] {"-1", "lots", "NaN", "Infinity", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ridge.parse(bad));
            assertTrue(e.getMessage().contains("neither auto nor a number >= 0"), e.getMessage());
        }
    }
}
