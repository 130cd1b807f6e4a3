package dev.rba.core.approx;

import dev.rba.core.fit.FitResult;

/**
 * A span and the T fitted for it.
 *
 * @param span        the blocks replaced
 * @param fit         T (row-major [d, d]), bias, residual, condition number, ridge, warnings
 * @param fitSamples  samples whose tokens the fit saw
 * @param fitRows     rows (tokens) the fit saw
 * @param sequential  whether h_i came from the model with the earlier spans already replaced
 */
public record SpanFit(Span span, FitResult fit, long fitSamples, long fitRows, boolean sequential) {
}
