package dev.rba.onnx.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A source of model inputs, read batch by batch: every tensor of a batch has the batch's sample count as dimension 0.
 * Data loaders implement it; {@link #of} wraps tensors already in memory.
 */
public interface ModelInputs {
    /** Number of samples. */
    long sampleCount();

    /** The named input tensors of samples [start, start+count). Views are fine: they are used only during the run. */
    List<InputTensor> batch(long start, int count);

    /** Tensors holding all samples at once (all with the same dimension 0), sliced per batch without copying. */
    static ModelInputs of(InputTensor... tensors) {
        List<InputTensor> all = List.of(tensors);
        if (all.isEmpty()) throw new IllegalArgumentException("no input tensors given");
        long n = all.get(0).samples();
        for (InputTensor t : all) {
            if (t.samples() != n) {
                throw new IllegalArgumentException("input '" + t.name() + "' has " + t.samples() + " samples (shape " + Arrays.toString(t.shape())
                        + ") but '" + all.get(0).name() + "' has " + n + "; all inputs need the same dimension 0");
            }
        }
        return new ModelInputs() {
            @Override
            public long sampleCount() {
                return n;
            }

            @Override
            public List<InputTensor> batch(long start, int count) {
                List<InputTensor> out = new ArrayList<>(all.size());
                for (InputTensor t : all) out.add(t.slice(start, count));
                return out;
            }
        };
    }
}
