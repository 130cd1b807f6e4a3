package dev.rba.core.fit;

import java.util.List;

/**
 * A fitted replacement for a span: {@code h_out ≈ h_in T + b}.
 *
 * @param method           what was fitted, e.g. {@code linear}, {@code affine}, {@code orthogonal}, {@code identity},
 *                         {@code linear-qr}
 * @param inWidth          d_in, rows of T
 * @param outWidth         d_out, columns of T
 * @param t                T [d_in, d_out], row-major, fp64
 * @param bias             b [d_out], or null without bias
 * @param relativeResidual training residual ||X T + 1 b - Y||_F^2 / ||Y||_F^2
 * @param conditionNumber  condition number of the Gram that was solved (lambda_max / lambda_min; +Inf when singular;
 *                         NaN where no Gram was formed)
 * @param ridgeLambda      absolute ridge added to the Gram's diagonal, 0 when none
 * @param warnings         one line each, e.g. loss of digits in the normal equations
 */
public record FitResult(String method, int inWidth, int outWidth, double[] t, double[] bias, double relativeResidual,
                        double conditionNumber, double ridgeLambda, List<String> warnings) {

    public FitResult {
        warnings = List.copyOf(warnings);
        if (t.length != (long) inWidth * outWidth) {
            throw new IllegalArgumentException("T has " + t.length + " values, not " + inWidth + " x " + outWidth);
        }
        if (bias != null && bias.length != outWidth) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, not " + outWidth);
        }
    }

    /** {@code X T + 1 b} for rows of X [rows, d_in] (fp64), as [rows, d_out]. */
    public double[] apply(double[] x, int rows) {
        if (x.length != (long) rows * inWidth) {
            throw new IllegalArgumentException("input has " + x.length + " values, not " + rows + " x " + inWidth);
        }
        double[] y = new double[rows * outWidth];
        for (int r = 0; r < rows; r++) {
            int out = r * outWidth;
            if (bias != null) System.arraycopy(bias, 0, y, out, outWidth);
            for (int k = 0; k < inWidth; k++) {
                double xv = x[r * inWidth + k];
                if (xv == 0) continue;
                int trow = k * outWidth;
                for (int j = 0; j < outWidth; j++) y[out + j] += xv * t[trow + j];
            }
        }
        return y;
    }
}
