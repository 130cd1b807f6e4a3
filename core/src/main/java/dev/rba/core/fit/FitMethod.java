package dev.rba.core.fit;

/** How a span's replacement T is fitted; see {@link LinearFits}. */
public enum FitMethod {
    /** {@code argmin ||X T - Y||_F}, no bias, no centring: the paper's reference fit. */
    LINEAR,
    /** {@code argmin ||X T + 1 b - Y||_F}: least squares with a bias row. */
    AFFINE,
    /** {@code argmin ||X Q - Y||_F} over orthogonal Q (Procrustes); needs equal widths. */
    ORTHOGONAL,
    /** T = I: the span is simply dropped. */
    IDENTITY;

    /** Lower-case name used in reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
