/**
 * Closed-form replacements T for a span of blocks, fitted from {@link dev.rba.core.stats.StreamStatistics}
 * ({@link dev.rba.core.fit.LinearFits}): least squares by the normal equations with a reported ridge fallback,
 * affine, orthogonal Procrustes, identity; and a QR fit on raw rows as a cross-check. T is row-major [d_in, d_out]
 * so that {@code h_{j+1} ≈ h_i T + b}.
 */
package dev.rba.core.fit;
