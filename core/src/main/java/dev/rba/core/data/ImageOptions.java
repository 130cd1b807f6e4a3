package dev.rba.core.data;

/**
 * Image preprocessing choices the user made; null (or an empty array) means "use the model's metadata, else the
 * default". See {@link ImagePreprocessing#resolve} for the defaults.
 *
 * @param resizeShorter shorter image side after a bilinear resize, before the centre crop
 * @param cropHeight    crop height, only for models whose height is dynamic
 * @param cropWidth     crop width, only for models whose width is dynamic
 * @param scale         factor applied to 0..255 pixel values before mean/std (1/255 by default)
 * @param mean          per-channel mean in the model's channel order, one value or one per channel
 * @param std           per-channel standard deviation, one value or one per channel
 * @param channelOrder  RGB or BGR
 * @param layout        NCHW or NHWC
 */
public record ImageOptions(Integer resizeShorter, Integer cropHeight, Integer cropWidth, Double scale, double[] mean,
                           double[] std, ChannelOrder channelOrder, TensorLayout layout) {

    /** Everything from the model's metadata or the defaults. */
    public static ImageOptions defaults() {
        return new ImageOptions(null, null, null, null, null, null, null, null);
    }
}
