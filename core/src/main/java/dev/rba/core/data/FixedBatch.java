package dev.rba.core.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many samples one ONNX Runtime run of a model may hold, from the batch axis (axis 0) of its inputs.
 * torch.onnx.export without dynamic_axes (its default) and many model-zoo files fix that axis at 1 ([1,3,224,224],
 * a BERT mask [1,seq]): ONNX Runtime then refuses any other batch, so every pass runs such a model one sample per
 * run (slower, the same results to fp32 rounding). A batch fixed above 1 is refused: the last batch of a pass holds
 * what is left, which such a model would refuse too, and padding it would change what every statistic sees.
 */
public final class FixedBatch {
    /** The limit of a model whose batch axis is dynamic: none. */
    public static final int NONE = Integer.MAX_VALUE;

    private FixedBatch() {
    }

    /**
     * Most samples per run: 1 where some input fixes axis 0 at 1, else {@link #NONE}.
     *
     * @throws InvalidInputException when an input fixes axis 0 at another size, naming it and how to re-export
     */
    public static int limit(List<ModelInputSpec> inputs) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ModelInputSpec in : inputs) shapes.put(in.name(), in.shape());
        return limit(shapes);
    }

    /** As {@link #limit(List)}, for input shapes by name (-1 for a dynamic dimension, axis 0 the batch). */
    public static int limit(Map<String, long[]> inputShapes) {
        int limit = NONE;
        for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
            long[] shape = e.getValue();
            if (shape.length == 0 || shape[0] < 0) continue;
            if (shape[0] != 1) {
                String name = e.getKey();
                throw new InvalidInputException("model input '" + name + "' has a fixed batch of " + shape[0] + " (shape "
                        + new ModelInputSpec(name, "float", shape).shapeText() + "): rba runs a model one sample per run "
                        + "or any number at once, not exactly " + shape[0] + "; re-export it with a batch of 1 or a dynamic "
                        + "batch axis, e.g. torch.onnx.export(..., dynamic_axes={'" + name + "': {0: 'batch'}})");
            }
            limit = 1;
        }
        return limit;
    }

    /** {@code requested} samples per run, or fewer where the model's inputs fix the batch. */
    public static int samplesPerRun(int requested, List<ModelInputSpec> inputs) {
        return Math.min(requested, limit(inputs));
    }

    /**
     * One line saying that the model runs one sample at a time, naming the input that fixes its batch and, when the
     * user asked for more ({@code requested} above 1; 0 when not asked), that the request is not followed; null for a
     * model whose batch is dynamic.
     */
    public static String note(List<ModelInputSpec> inputs, int requested) {
        if (limit(inputs) == NONE) return null;
        ModelInputSpec fixing = inputs.stream().filter(in -> in.rank() > 0 && in.shape()[0] == 1).findFirst().orElseThrow();
        return "model input '" + fixing.name() + "' fixes the batch at 1 (shape " + fixing.shapeText()
                + "): ONNX Runtime runs one sample at a time" + (requested > 1 ? ", not the " + requested
                + " of --batch-size" : "") + " (slower; re-export with a dynamic batch axis to run several)";
    }
}
