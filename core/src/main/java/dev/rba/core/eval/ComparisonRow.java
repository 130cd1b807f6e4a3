package dev.rba.core.eval;

/**
 * One line of a before/after table: the metric, its value for the baseline and for the model, formatted for people,
 * the change between them (a difference, a ratio or a percentage, whichever reads best for the metric), and the raw
 * numbers (NaN where there is none) for machines.
 */
public record ComparisonRow(String metric, String baseline, String model, String change, double baselineValue,
                            double modelValue) {
}
