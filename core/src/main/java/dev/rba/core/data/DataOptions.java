package dev.rba.core.data;

import java.util.Map;

/**
 * How to open calibration data.
 *
 * @param split         "train" or "test" to pick train-* or t10k-* IDX files in a folder holding both; null otherwise
 * @param skipBadImages leave out images that fail to decode (counted and reported) instead of stopping at the first
 * @param image         image preprocessing choices
 * @param modelMetadata the model's metadata_props (rba.input.mean, rba.input.std, rba.input.scale, rba.input.layout)
 * @param classNames    the model's class names for labelling class folders; null: those in modelMetadata, if any
 */
public record DataOptions(String split, boolean skipBadImages, ImageOptions image, Map<String, String> modelMetadata,
                          ClassNames classNames) {
    public DataOptions {
        image = image == null ? ImageOptions.defaults() : image;
        modelMetadata = modelMetadata == null ? Map.of() : Map.copyOf(modelMetadata);
    }

    public DataOptions(String split, boolean skipBadImages, ImageOptions image, Map<String, String> modelMetadata) {
        this(split, skipBadImages, image, modelMetadata, null);
    }

    /** The class names to match class folders against: given ones, else the model metadata's, else null. */
    ClassNames effectiveClassNames() {
        return classNames != null ? classNames : ClassNames.fromMetadata(modelMetadata);
    }

    public static DataOptions defaults(Map<String, String> modelMetadata) {
        return new DataOptions(null, false, ImageOptions.defaults(), modelMetadata);
    }
}
