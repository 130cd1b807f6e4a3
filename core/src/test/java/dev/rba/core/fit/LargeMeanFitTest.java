package dev.rba.core.fit;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.rba.core.stats.ClassBackends;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.core.stats.Activations;
import dev.rba.core.stats.StreamStatistics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Residual streams of real ViTs have channels whose mean is 1e2-1e4 times their spread. The affine fit must centre
 * without losing the spread: T and the bias from the streamed statistics are checked against a Householder QR fit
 * (fp64, with a column of ones) on the very same float32 rows.
 */
@ExtendWith(ClassBackends.class)
class LargeMeanFitTest {


    /** Rows with column means {@code mean} (one outlier channel 10x larger) and unit spread; Y = X T0 + b0 + noise. */
    static float[][] rows(Random rnd, int rows, int d, double mean) {
        float[] x = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                double m = c == 3 ? 10 * mean : (c % 2 == 0 ? mean : -0.5 * mean);
                x[r * d + c] = (float) (m + rnd.nextGaussian());
            }
        }
        double[] t0 = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) t0[i * d + j] = (i == j ? 1.0 : 0.0) + 0.2 * rnd.nextGaussian() / Math.sqrt(d);
        }
        float[] y = Activations.map(x, rows, d, t0, d, rnd, 0.05);
        for (int r = 0; r < rows; r++) y[r * d + 5] += (float) (3 * mean); // an offset the bias must carry
        return new float[][] {x, y};
    }

    @ParameterizedTest(name = "{0}, mean {1}", autoCloseArguments = false)
    @MethodSource("cases")
    void affineFitMatchesQrOnTheRows(Backend backend, double mean) {
        int rows = 3000;
        int d = 12;
        float[][] xy = rows(new Random(Double.hashCode(mean)), rows, d, mean);
        StreamStatistics stats = LinearFitsTest.statistics(backend, xy[0], xy[1], rows, d, d);
        FitResult fit = LinearFits.leastSquares(stats, 0, 1, true, 0.0, backend);

        double[] a = new double[rows * (d + 1)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) a[r * (d + 1) + c] = xy[0][r * d + c];
            a[r * (d + 1) + d] = 1.0;
        }
        double[] sol = HouseholderQr.leastSquares(rows, d + 1, d, a, Activations.toDouble(xy[1]));
        double tErr = 0;
        double tMax = 0;
        for (int i = 0; i < d * d; i++) {
            tErr = Math.max(tErr, Math.abs(fit.t()[i] - sol[i]));
            tMax = Math.max(tMax, Math.abs(sol[i]));
        }
        double bErr = 0;
        for (int j = 0; j < d; j++) bErr = Math.max(bErr, Math.abs(fit.bias()[j] - sol[d * d + j]));
        // T: the centred Gram has condition ~1, so fp32 products of rows of unit spread give T to a few 1e-7 (seen:
        // 2.7e-7 and 3.2e-7 on every backend; unshifted sums gave 0.29-1.6). The bias is mean_y - mean_x T: an error
        // e in T moves it by up to |mean_x|_1 e (seen: 0.003-0.004; unshifted: 2,351-166,964).
        double meanL1 = 0;
        for (int c = 0; c < d; c++) meanL1 += Math.abs(c == 3 ? 10 * mean : (c % 2 == 0 ? mean : -0.5 * mean));
        String what = backend.name() + " mean " + mean + ": T max error " + tErr + ", bias max error " + bErr;
        assertTrue(tErr < 1e-5 * tMax, what);
        assertTrue(bErr < meanL1 * 1e-5 * tMax, what);
    }

    static List<org.junit.jupiter.params.provider.Arguments> cases(ClassBackends.Opened backends) {
        List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (Backend b : backends.list()) {
            for (double mean : new double[] {1e3, 1e4}) out.add(org.junit.jupiter.params.provider.Arguments.of(b, mean));
        }
        return out;
    }
}
