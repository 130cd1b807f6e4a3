package dev.rba.core.pipeline;

import java.util.Map;

/**
 * The model's own outputs for one batch of a calibration pass, handed to an optional consumer (evaluation).
 *
 * @param start   index of the batch's first sample within the pass (0-based, in pass order)
 * @param count   samples in the batch
 * @param labels  the batch's labels, or null when the data has none
 * @param outputs output name to its values
 */
public record OutputBatch(long start, int count, int[] labels, Map<String, Output> outputs) {

    /** One output tensor: its shape and its values as float, row-major. */
    public record Output(long[] shape, float[] values) {
    }
}
