package dev.rba.core.data;

import java.util.Map;

/**
 * One batch of calibration samples: a tensor per model input name, the labels (null when the data has none) and
 * which samples of the data source it holds (indices into 0..size-1, in batch order).
 */
public record DataBatch(Map<String, Tensor> inputs, int[] labels, int[] sampleIndices) {
    public DataBatch {
        inputs = Map.copyOf(inputs);
    }

    public int size() {
        return sampleIndices.length;
    }

    public Tensor input(String name) {
        Tensor t = inputs.get(name);
        if (t == null) throw new IllegalArgumentException("batch has no tensor for input '" + name + "'");
        return t;
    }
}
