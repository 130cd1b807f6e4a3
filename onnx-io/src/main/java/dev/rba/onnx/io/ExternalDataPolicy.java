package dev.rba.onnx.io;

/** Where a writer puts tensor data. */
public enum ExternalDataPolicy {
    /** Every tensor inside the protobuf; refused when the file would pass protobuf's 2 GB limit. */
    INLINE,
    /** Tensors at or above the size threshold in one data file {@code <model file name>.data} beside the model. */
    EXTERNAL,
    /** EXTERNAL when the model being written had external data or its tensors pass ~1.8 GB, INLINE otherwise. */
    AUTO
}
