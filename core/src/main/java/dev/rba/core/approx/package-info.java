/**
 * Redundant Blocks Approximation: replacing spans of blocks by fitted linear maps.
 *
 * <p>{@link dev.rba.core.approx.Approximator} splits the calibration samples (seeded) into fit samples and held-out
 * check samples, runs one calibration pass over all tokens of the fit samples, fits T per {@link
 * dev.rba.core.approx.Span} with a translator (linear, affine, orthogonal, identity), splices the fits into a copy of
 * the model ({@link dev.rba.core.approx.Approximation}), scores it on the check samples ({@link
 * dev.rba.core.approx.HeldOutScore}, in the {@link dev.rba.core.approx.QualityMeasure} that fits the model's output,
 * with 95% intervals) and saves it with an {@code rba.approximation} metadata record ({@link
 * dev.rba.core.approx.ApproximationRecord}). {@link dev.rba.core.approx.SpanSelection} picks spans for a number of
 * blocks to remove or a largest accepted drop: it ranks candidates by a {@link dev.rba.core.approx.SpanPredictor}
 * (by default the fit's unexplained variance) and lets a staged held-out check decide between the best of them.
 */
package dev.rba.core.approx;
