package dev.rba.core.fit;

import dev.rba.core.linalg.Backend;
import dev.rba.core.stats.StreamStatistics;
import java.util.List;

/**
 * Fits of a span's replacement {@code h_out ≈ h_in T (+ b)} from {@link StreamStatistics}, plus a QR fit on raw rows
 * as a cross-check. Streams are indices into the statistics' plan; for span i-j, input = h_i and output = h_{j+1}.
 *
 * <p>The training residual comes from the statistics alone:
 * {@code ||X T - Y||_F^2 = tr(T^T G T) - 2 tr(T^T C) + tr(Y^T Y)} with G = X^T X and C = X^T Y (for the affine fit the
 * same with the centred G_c, C_c and Y_c^T Y_c, because the optimal bias makes the residual's mean zero). It is a
 * difference of large terms, so it is accurate to about 1e-7 relative to ||Y||^2 (fp32 Grams) and clamped at 0.
 */
public final class LinearFits {

    private LinearFits() {
    }

    /** The fit named by {@code method} with no explicit ridge. */
    public static FitResult fit(StreamStatistics stats, int input, int output, FitMethod method, Backend backend) {
        return fit(stats, input, output, method, Ridge.NONE, backend);
    }

    /** The fit named by {@code method}; a ridge applies to the least-squares fits (linear, affine) only. */
    public static FitResult fit(StreamStatistics stats, int input, int output, FitMethod method, Ridge ridge,
                                Backend backend) {
        return fit(stats, input, output, method, ridge, backend, null);
    }

    /** The same, reusing the Grams' eigenvalues from {@code spectra} (of these statistics) when given. */
    public static FitResult fit(StreamStatistics stats, int input, int output, FitMethod method, Ridge ridge,
                                Backend backend, GramSpectra spectra) {
        if (spectra != null && !spectra.of(stats)) throw new IllegalArgumentException("spectra of other statistics");
        if (!ridge.none() && (method == FitMethod.ORTHOGONAL || method == FitMethod.IDENTITY)) {
            throw new IllegalArgumentException("a ridge applies to the linear and affine translators, not "
                    + method.label() + ": drop --ridge or use --translator linear|affine");
        }
        return switch (method) {
            case LINEAR -> leastSquares(stats, input, output, false, ridge, backend, spectra);
            case AFFINE -> leastSquares(stats, input, output, true, ridge, backend, spectra);
            case ORTHOGONAL -> procrustes(stats, input, output, backend);
            case IDENTITY -> identity(stats, input, output, backend);
        };
    }

    /**
     * Least squares by the normal equations (Cholesky in fp64), with or without bias.
     *
     * @param ridgeRelative explicit ridge as a multiple of trace(G)/d; 0 for the plain fit (a ridge is still added,
     *                      and reported, when the Gram is singular)
     */
    public static FitResult leastSquares(StreamStatistics stats, int input, int output, boolean bias,
                                         double ridgeRelative, Backend backend) {
        return leastSquares(stats, input, output, bias, Ridge.relative(ridgeRelative), backend);
    }

    /** Least squares by the normal equations with the given {@link Ridge} (see there for the rules). */
    public static FitResult leastSquares(StreamStatistics stats, int input, int output, boolean bias, Ridge ridge,
                                         Backend backend) {
        return leastSquares(stats, input, output, bias, ridge, backend, null);
    }

    private static FitResult leastSquares(StreamStatistics stats, int input, int output, boolean bias, Ridge ridge,
                                          Backend backend, GramSpectra spectra) {
        int din = stats.width(input);
        int dout = stats.width(output);
        // The affine fit works on centred statistics taken straight from the shifted sums (no cancellation of
        // large means); the bias then follows from the column means.
        double[] g = bias ? stats.centredGram(input) : stats.gram(input);
        double[] c = bias ? stats.centredCrossGram(input, output) : stats.crossGram(input, output);
        double yy = stats.sumOfSquares(output);
        double yyFit = bias ? stats.centredSumOfSquares(output) : yy;
        String what = (bias ? "centred Gram of '" : "Gram of '") + stats.names().get(input) + "'";
        NormalEquations.Solution sol = NormalEquations.solve(backend, what, din, g, c, dout, ridge,
                spectra == null ? null : spectra.eigenvalues(input, bias, din, g));
        double[] t = sol.x();
        double[] b = null;
        if (bias) {
            double[] mx = stats.columnMeans(input);
            double[] my = stats.columnMeans(output);
            b = new double[dout];
            for (int j = 0; j < dout; j++) {
                double s = my[j];
                for (int k = 0; k < din; k++) s -= mx[k] * t[k * dout + j];
                b[j] = s;
            }
        }
        double residual = residualSquared(backend, g, c, yyFit, t, din, dout) / yy;
        String method = (bias ? FitMethod.AFFINE : FitMethod.LINEAR).label() + (!ridge.none() && sol.ridge() > 0 ? "-ridge" : "");
        return new FitResult(method, din, dout, t, b, residual, sol.condition(), sol.ridge(), sol.warnings());
    }

    /** Orthogonal Procrustes: Q = U V^T from the SVD X^T Y = U S V^T; needs equal widths. */
    public static FitResult procrustes(StreamStatistics stats, int input, int output, Backend backend) {
        int d = requireEqualWidths(stats, input, output, "an orthogonal fit");
        double[] c = stats.crossGram(input, output);
        double[] u = new double[d * d];
        double[] vt = new double[d * d];
        backend.svd(d, d, c.clone(), u, vt);
        double[] q = backend.dgemm(d, d, d, u, vt);
        double[] g = stats.gram(input);
        double residual = residualSquared(backend, g, c, stats.sumOfSquares(output), q, d, d) / stats.sumOfSquares(output);
        double cond = NormalEquations.conditionNumber(backend, d, g);
        return new FitResult(FitMethod.ORTHOGONAL.label(), d, d, q, null, residual, cond, 0.0, List.of());
    }

    /** T = I: the span is dropped. Its residual uses the direct squared-difference sum when the pair has one. */
    public static FitResult identity(StreamStatistics stats, int input, int output, Backend backend) {
        int d = requireEqualWidths(stats, input, output, "the identity");
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) t[i * d + i] = 1.0;
        double yy = stats.sumOfSquares(output);
        double residual = stats.hasRowSums(input, output)
                ? stats.rowSquaredDifferenceSum(input, output) / yy
                : residualSquared(backend, stats.gram(input), stats.crossGram(input, output), yy, t, d, d) / yy;
        return new FitResult(FitMethod.IDENTITY.label(), d, d, t, null, residual, Double.NaN, 0.0, List.of());
    }

    /**
     * Least squares straight from the rows by QR ({@link Backend#leastSquaresQR}), no normal equations: the
     * cross-check for the statistics-based fit. Its error grows with cond(X), not cond(X)^2.
     *
     * @param x rows of X [rows, dIn], y rows of Y [rows, dOut], both row-major fp64
     */
    public static FitResult fitDirectQR(double[] x, double[] y, int rows, int dIn, int dOut, boolean bias,
                                        Backend backend) {
        if (x.length != (long) rows * dIn || y.length != (long) rows * dOut) {
            throw new IllegalArgumentException("QR fit needs X [" + rows + ", " + dIn + "] and Y [" + rows + ", "
                    + dOut + "], got " + x.length + " and " + y.length + " values");
        }
        int cols = bias ? dIn + 1 : dIn;
        if (rows < cols) {
            throw new IllegalArgumentException("QR fit needs at least as many rows (" + rows + ") as unknowns per "
                    + "output (" + cols + "): capture more calibration rows");
        }
        double[] a = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * dIn, a, r * cols, dIn);
            if (bias) a[r * cols + dIn] = 1.0;
        }
        double[] sol = backend.leastSquaresQR(rows, cols, dOut, a, y.clone());
        double[] t = new double[dIn * dOut];
        System.arraycopy(sol, 0, t, 0, dIn * dOut);
        double[] b = null;
        if (bias) {
            b = new double[dOut];
            System.arraycopy(sol, dIn * dOut, b, 0, dOut);
        }
        FitResult provisional = new FitResult("", dIn, dOut, t, b, 0, Double.NaN, 0, List.of());
        double[] pred = provisional.apply(x, rows);
        double num = 0;
        double den = 0;
        for (int i = 0; i < y.length; i++) {
            double e = pred[i] - y[i];
            num += e * e;
            den += y[i] * y[i];
        }
        String method = (bias ? FitMethod.AFFINE : FitMethod.LINEAR).label() + "-qr";
        return new FitResult(method, dIn, dOut, t, b, num / den, Double.NaN, 0.0, List.of());
    }

    /**
     * tr(T^T G T) - 2 tr(T^T C) + yy, clamped at 0. G T on the backend: as Java loops this d^3 product was most of a
     * fit's time (0.17-0.36 s of 0.26-0.9 s at d = 768; a selection fits dozens of spans).
     */
    static double residualSquared(Backend backend, double[] g, double[] c, double yy, double[] t, int din, int dout) {
        double[] gt = backend.dgemm(din, dout, din, g, t);
        double quad = 0;
        double lin = 0;
        for (int i = 0; i < t.length; i++) {
            quad += t[i] * gt[i];
            lin += t[i] * c[i];
        }
        return Math.max(0.0, quad - 2 * lin + yy);
    }

    private static int requireEqualWidths(StreamStatistics stats, int input, int output, String what) {
        if (stats.width(input) != stats.width(output)) {
            throw new IllegalArgumentException("streams '" + stats.names().get(input) + "' (width "
                    + stats.width(input) + ") and '" + stats.names().get(output) + "' (width " + stats.width(output)
                    + ") differ in width: " + what + " needs equal widths; use the linear fit");
        }
        return stats.width(input);
    }
}
