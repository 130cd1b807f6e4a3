package dev.rba.core.approx;

import java.io.IOException;
import java.nio.file.Files;
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
    /**
     * Removes what was written, for a command that fails after saving (it must leave no output behind). Best effort:
     * a file that cannot be removed is left, the original failure is what the caller reports.
     */
    public void delete() {
        for (Path p : new Path[] {model, dataFile}) {
            if (p == null) continue;
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the caller is already failing with the error that matters
            }
        }
    }
}
