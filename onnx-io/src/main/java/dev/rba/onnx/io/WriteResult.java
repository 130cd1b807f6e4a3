package dev.rba.onnx.io;

import java.nio.file.Path;

/**
 * What {@link OnnxModelWriter} wrote.
 *
 * @param model           the model file
 * @param dataFile        the external data file, or null when every tensor stayed inline
 * @param externalTensors number of tensors in the data file
 * @param externalBytes   size of the data file (tensor bytes plus alignment padding)
 * @param modelBytes      size of the model file
 */
public record WriteResult(Path model, Path dataFile, int externalTensors, long externalBytes, long modelBytes) {
}
