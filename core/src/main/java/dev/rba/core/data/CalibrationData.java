package dev.rba.core.data;

import java.util.List;

/**
 * Calibration samples ready to feed a model: images from class folders or IDX files, or arrays from an .npz, all
 * turned into the model's input tensors. Open one with {@link DataSources#open}.
 */
public interface CalibrationData {
    /** Number of samples (before any bad image is skipped). */
    int size();

    boolean hasLabels();

    /** Class names by label index (folder names, or "0".."k-1" for numeric labels); empty without labels. */
    List<String> classNames();

    /**
     * Batches over the given samples in the given order. The last batch may be smaller; with skipBadImages an
     * undecodable image is left out and the next sample takes its place.
     */
    Iterable<DataBatch> batches(int batchSize, int[] sampleIndices);

    /** Batches over all samples in order. */
    default Iterable<DataBatch> batches(int batchSize) {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return batches(batchSize, all);
    }

    /**
     * Things the user should see on stderr, one line each (defaults that were guessed, mean/std missing, arrays
     * ignored, images skipped so far).
     */
    List<String> warnings();

    /** One line saying what was opened, e.g. "image folder data/val: 500 images, 10 classes". */
    String description();

    /** Images skipped so far because they failed to decode (only with skipBadImages). */
    default int skippedSamples() {
        return 0;
    }
}
