package dev.rba.core.approx;

import java.nio.file.Path;

/**
 * Where {@link Approximator#save} wrote a model.
 *
 * @param model     the .onnx file
 * @param dataFile  its external data file, or null when every tensor is inline
 * @param bytes     model file plus data file size
 * @param record    the JSON stored under {@code metadata_props["rba.approximation"]}
 */
public record SavedModel(Path model, Path dataFile, long bytes, String record) {
}
