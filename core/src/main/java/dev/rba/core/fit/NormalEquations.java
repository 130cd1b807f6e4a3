package dev.rba.core.fit;

import dev.rba.core.linalg.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * Solves {@code G T = C} for a symmetric positive semi-definite Gram G [d, d] by Cholesky in fp64, with a ridge
 * fallback when G is numerically singular, and reports G's condition number.
 *
 * <p>An explicit {@link Ridge} (a factor, or auto) is applied first; the rules below are for the plain fit.
 *
 * <p>Thresholds (cond = lambda_max / lambda_min of G = cond(X)^2):
 * <ul>
 * <li><b>singular</b>: Cholesky fails, or cond > 1 / (d * 2^-52): eigenvalues that small are below what fp64
 *     rounding of a d x d problem can resolve, so the solution in those directions is noise. Then the smallest ridge
 *     lambda = (trace(G) / d) * 10^k, k = -12, -11, ..., 2, that brings cond(G + lambda I) under that bound and
 *     lets Cholesky succeed is used and reported.</li>
 * <li><b>warning, fp64 solve</b>: cond * 2^-52 > 2^-24. Solving the normal equations in fp64 costs a relative
 *     error in T of about cond(G) * 2^-52; above 2^-24 (fp32's resolution, the precision the activations were
 *     captured in) it loses digits the data actually had. This is cond(G) > 2^28 ~ 2.7e8, i.e. cond(X) > 1.6e4.</li>
 * <li><b>warning, fp32 Gram</b>: cond > 2^20 ~ 1e6. In practice the tighter limit: G was summed from fp32 batch
 *     products, so it is only accurate to about 2^-24 relative, and T's error is about cond(G) * 2^-24, i.e. fewer
 *     than ~1 correct digit in T's weakest directions past 2^20 (predictions X T may still be good, since those
 *     directions are the ones X barely spans). A QR fit on the rows ({@link LinearFits#fitDirectQR}) or a ridge is
 *     the better choice there.</li>
 * </ul>
 */
final class NormalEquations {

    static final double EPS64 = 0x1p-52;
    static final double WARN_COND = 0x1p28;
    static final double WARN_COND_FP32_GRAM = 0x1p20;
    private static final int RIDGE_FIRST_EXPONENT = -12;
    private static final int RIDGE_LAST_EXPONENT = 2;

    record Solution(double[] x, double condition, double ridge, List<String> warnings) {
    }

    private NormalEquations() {
    }

    /** Condition number lambda_max / lambda_min of symmetric G; +Inf when lambda_min <= 0. */
    static double conditionNumber(Backend backend, int d, double[] g) {
        double[] eig = backend.symmetricEigen(d, g.clone(), null);
        return condition(eig);
    }

    private static double condition(double[] eig) {
        double min = eig[0];
        double max = eig[eig.length - 1];
        return min > 0 ? max / min : Double.POSITIVE_INFINITY;
    }

    /**
     * @param what  names the system in messages, e.g. "Gram of 'h3'"
     * @param ridge  an explicit ridge ({@link Ridge}), or {@link Ridge#NONE} (the fallback may still add one)
     */
    static Solution solve(Backend backend, String what, int d, double[] g, double[] c, int nrhs, Ridge ridge) {
        return solve(backend, what, d, g, c, nrhs, ridge, null);
    }

    /** The same, with G's ascending eigenvalues when the caller has them (else null: computed here). */
    static Solution solve(Backend backend, String what, int d, double[] g, double[] c, int nrhs, Ridge ridge,
                          double[] eigenvalues) {
        double trace = 0;
        for (int i = 0; i < d; i++) trace += g[i * d + i];
        if (!(trace > 0)) {
            throw new IllegalArgumentException(what + " is zero (the input stream is all zeros on the calibration "
                    + "rows): nothing can be fitted from it; check the capture");
        }
        double meanEigen = trace / d;
        double[] eig = eigenvalues != null ? eigenvalues : backend.symmetricEigen(d, g.clone(), null);
        double cond = condition(eig);
        double singularCond = 1.0 / (d * EPS64);
        List<String> warnings = new ArrayList<>();

        double lambda = ridge.lambda(eig[0], eig[d - 1], meanEigen);
        if (lambda > 0) {
            double[] x = tryCholesky(backend, d, g, c, nrhs, lambda);
            if (x != null) return new Solution(x, cond, lambda, warnings);
            if (!ridge.auto()) {
                throw new IllegalArgumentException(what + " plus the ridge " + lambda + " is not positive definite: "
                        + "give a larger --ridge, or --ridge auto");
            }
        }
        if (cond <= singularCond && !(ridge.auto() && lambda > 0)) {
            double[] x = tryCholesky(backend, d, g, c, nrhs, 0.0);
            if (x != null) {
                if (cond > WARN_COND) {
                    warnings.add(String.format(java.util.Locale.ROOT, "%s has condition number %.3g: the normal "
                            + "equations' relative error (cond * 2^-52 = %.1e) exceeds fp32 resolution 2^-24; "
                            + "cross-check with the QR fit or use a ridge (--ridge auto)", what, cond, cond * EPS64));
                } else if (cond > WARN_COND_FP32_GRAM) {
                    warnings.add(String.format(java.util.Locale.ROOT, "%s has condition number %.3g: with a Gram "
                            + "summed from fp32 products, T's error is up to cond * 2^-24 = %.1e in its weakest "
                            + "directions; cross-check with the QR fit or use a ridge (--ridge auto)", what, cond, cond * 0x1p-24));
                }
                return new Solution(x, cond, 0.0, warnings);
            }
        }
        for (int k = RIDGE_FIRST_EXPONENT; k <= RIDGE_LAST_EXPONENT; k++) {
            double fallback = meanEigen * Math.pow(10, k);
            double shiftedMin = eig[0] + fallback;
            if (shiftedMin <= 0 || (eig[d - 1] + fallback) / shiftedMin > singularCond) continue;
            double[] x = tryCholesky(backend, d, g, c, nrhs, fallback);
            if (x == null) continue;
            warnings.add(String.format(java.util.Locale.ROOT, "%s is singular (condition number %.3g): used ridge "
                    + "lambda = %.3g = 1e%d * trace/d; choose one with --ridge auto or --ridge LAMBDA", what, cond, fallback, k));
            return new Solution(x, cond, fallback, warnings);
        }
        throw new IllegalArgumentException(what + " stays singular even with a ridge of 100 * trace/d: the input "
                + "stream is degenerate; check the capture");
    }

    private static double[] tryCholesky(Backend backend, int d, double[] g, double[] c, int nrhs, double lambda) {
        double[] a = g.clone();
        for (int i = 0; i < d; i++) a[i * d + i] += lambda;
        double[] x = c.clone();
        return backend.choleskySolve(d, nrhs, a, x) ? x : null;
    }
}
