package dev.rba.core.onnx;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;

import java.nio.file.Path;
import java.util.List;

/**
 * A model whose residual stream a calibration pass captures: the original file's model, or a model changed in memory
 * (e.g. with an earlier span already approximated, for sequential fitting) that still holds the named h_k tensors.
 *
 * @param proto         the model
 * @param dataFolder    folder its relative external-data paths resolve in (the original file's folder), or null
 * @param boundaryNames graph tensor names of the h_k to capture, in order
 * @param shape         residual-stream shape used to expose them as outputs
 * @param maskInput     the padding-mask input, "none", or null to find it from the graph
 */
public record CaptureTarget(ModelProto proto, Path dataFolder, List<String> boundaryNames, ResidualShape shape,
                            String maskInput) {
    public CaptureTarget {
        boundaryNames = List.copyOf(boundaryNames);
    }

    /** With the padding mask found from the graph. */
    public CaptureTarget(ModelProto proto, Path dataFolder, List<String> boundaryNames, ResidualShape shape) {
        this(proto, dataFolder, boundaryNames, shape, null);
    }

    /** All of h_0..h_L of a loaded model. */
    public static CaptureTarget of(OnnxLoadedModel model) {
        return new CaptureTarget(model.file().proto(), model.file().folder(), model.boundaryNames(), model.residualShape(),
                model.maskOption());
    }

    /** Only the chosen h_k (indices into h_0..h_L) of a loaded model. */
    public static CaptureTarget of(OnnxLoadedModel model, int[] hIndices) {
        List<String> all = model.boundaryNames();
        String[] chosen = new String[hIndices.length];
        for (int i = 0; i < hIndices.length; i++) {
            int k = hIndices[i];
            if (k < 0 || k >= all.size()) {
                throw new IllegalArgumentException("h_" + k + " does not exist: the model has h_0..h_" + (all.size() - 1)
                        + " (" + model.blockCount() + " blocks)");
            }
            chosen[i] = all.get(k);
        }
        return new CaptureTarget(model.file().proto(), model.file().folder(), List.of(chosen), model.residualShape(),
                model.maskOption());
    }
}
