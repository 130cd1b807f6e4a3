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

    /**
     * A pixel scale as the {@code --scale} option and the model's {@code rba.input.scale} metadata write it: a number
     * ({@code 0.00392}) or a fraction of two ({@code 1/255}). Refused unless positive and finite: a zero or negative
     * scale turns every image into the same or an inverted tensor, a wrong input the model would still answer.
     *
     * @throws IllegalArgumentException naming the text and what is expected
     */
    public static double parseScale(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        double v;
        try {
            v = slash < 0 ? Double.parseDouble(t)
                    : Double.parseDouble(t.substring(0, slash).strip()) / Double.parseDouble(t.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("scale '" + t + "' is not a positive number or a fraction like 1/255");
        }
        return v;
    }
}
