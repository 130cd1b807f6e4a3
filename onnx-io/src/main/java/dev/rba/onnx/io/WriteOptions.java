package dev.rba.onnx.io;

/**
 * How {@link OnnxModelWriter} stores tensor data.
 *
 * @param policy            inline, external or automatic
 * @param externalThreshold tensors of at least this many bytes go to the data file under EXTERNAL (ONNX's own
 *                          converter uses 1024); smaller ones stay inline
 * @param autoExternalAbove under AUTO, total tensor bytes above which data goes external
 */
public record WriteOptions(ExternalDataPolicy policy, long externalThreshold, long autoExternalAbove) {
    public static final long DEFAULT_THRESHOLD = 1024;
    /** Below 2 GiB with room for the graph itself: protobuf cannot encode a message of 2 GiB or more. */
    public static final long DEFAULT_AUTO_LIMIT = 1_800_000_000L;

    public WriteOptions {
        if (policy == null) {
            throw new IllegalArgumentException("external data policy must be INLINE, EXTERNAL or AUTO");
        }
        if (externalThreshold < 0 || autoExternalAbove < 0) {
            throw new IllegalArgumentException("external data thresholds must be >= 0 bytes");
        }
    }

    public static WriteOptions inline() {
        return new WriteOptions(ExternalDataPolicy.INLINE, DEFAULT_THRESHOLD, DEFAULT_AUTO_LIMIT);
    }

    public static WriteOptions external() {
        return new WriteOptions(ExternalDataPolicy.EXTERNAL, DEFAULT_THRESHOLD, DEFAULT_AUTO_LIMIT);
    }

    public static WriteOptions auto() {
        return new WriteOptions(ExternalDataPolicy.AUTO, DEFAULT_THRESHOLD, DEFAULT_AUTO_LIMIT);
    }

    public WriteOptions withExternalThreshold(long bytes) {
        return new WriteOptions(policy, bytes, autoExternalAbove);
    }

    public WriteOptions withAutoExternalAbove(long bytes) {
        return new WriteOptions(policy, externalThreshold, bytes);
    }
}
