package dev.rba.core.data;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved image pipeline for one model input: decode → resize (shorter side, bilinear) → centre crop to the
 * model's H x W → grey/RGB to the model's channel count → x * scale → (x - mean[c]) / std[c] → channel order →
 * NCHW or NHWC in the model's element type.
 */
public final class ImagePreprocessing {
    public static final String META_MEAN = "rba.input.mean";
    public static final String META_STD = "rba.input.std";
    public static final String META_SCALE = "rba.input.scale";
    public static final String META_LAYOUT = "rba.input.layout";

    private final ModelInputSpec input;
    private final ElementType type;
    private final TensorLayout layout;
    private final int channels;
    private final int height; // -1: dynamic, taken from the image (or the crop option)
    private final int width;
    private final Integer resizeShorter;
    private final double scale;
    private final double[] mean;
    private final double[] std;
    private final ChannelOrder order;

    private ImagePreprocessing(ModelInputSpec input, TensorLayout layout, int channels, int height, int width,
                               Integer resizeShorter, double scale, double[] mean, double[] std, ChannelOrder order) {
        this.input = input;
        this.type = input.type();
        this.layout = layout;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.resizeShorter = resizeShorter;
        this.scale = scale;
        this.mean = mean;
        this.std = std;
        this.order = order;
    }

    /**
     * Settles every choice from, in order of precedence, the user's options, the model's metadata_props and the
     * input's shape. Layout is guessed from where a 1 or 3 sits in the shape; scale defaults to 1/255; without mean
     * and std anywhere it adds a warning and uses mean 0, std 1. When an image differs from the model's size and no
     * resize is given, its shorter side is resized to max(H, W) and the centre cropped, so nothing is distorted.
     */
    public static ImagePreprocessing resolve(ModelInputSpec input, Map<String, String> metadata, ImageOptions opt,
                                             List<String> warnings) {
        long[] s = input.shape();
        if (s.length != 4) {
            throw new InvalidInputException("model input '" + input.name() + "' has shape " + input.shapeText()
                    + ", not an image batch [N,C,H,W] or [N,H,W,C]: give the data as an .npz with an array named '"
                    + input.name() + "'");
        }
        TensorLayout layout = layout(input, metadata, opt);
        int cAxis = layout == TensorLayout.NCHW ? 1 : 3;
        int hAxis = layout == TensorLayout.NCHW ? 2 : 1;
        int channels = s[cAxis] < 0 ? 3 : (int) s[cAxis];
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("model input '" + input.name() + "' " + input.shapeText() + " has "
                    + channels + " channels in " + layout + " layout; images give 1 or 3: give an .npz instead, or "
                    + "set the layout if it was guessed wrong");
        }
        int h = size(input, s[hAxis], opt.cropHeight(), "height");
        int w = size(input, s[hAxis + 1], opt.cropWidth(), "width");
        double scale = opt.scale() != null ? opt.scale()
                : metadata.containsKey(META_SCALE) ? parseScale(metadata.get(META_SCALE)) : 1.0 / 255.0;
        double[] mean = values(opt.mean(), metadata, META_MEAN, channels, input);
        double[] std = values(opt.std(), metadata, META_STD, channels, input);
        if (mean == null && std == null) {
            warnings.add("model input '" + input.name() + "': neither the model metadata (" + META_MEAN + ", "
                    + META_STD + ") nor the options give a mean/std, so images are only scaled (mean 0, std 1); "
                    + "pass the mean and std the model was trained with");
        }
        if (mean == null) mean = filled(channels, 0.0);
        if (std == null) std = filled(channels, 1.0);
        for (double v : std) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new InvalidInputException("model input '" + input.name() + "': std " + Arrays.toString(std)
                        + " must be positive and finite: fix " + META_STD + " or the std option");
            }
        }
        if (opt.resizeShorter() != null && opt.resizeShorter() < 1) {
            throw new InvalidInputException("resize size " + opt.resizeShorter() + " must be at least 1");
        }
        ChannelOrder order = opt.channelOrder() != null ? opt.channelOrder() : ChannelOrder.RGB;
        return new ImagePreprocessing(input, layout, channels, h, w, opt.resizeShorter(), scale, mean, std, order);
    }

    private static TensorLayout layout(ModelInputSpec input, Map<String, String> metadata, ImageOptions opt) {
        if (opt.layout() != null) return opt.layout();
        String meta = metadata.get(META_LAYOUT);
        if (meta != null) {
            try {
                return TensorLayout.valueOf(meta.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("model metadata " + META_LAYOUT + "='" + meta + "' is neither NCHW "
                        + "nor NHWC: fix the metadata or pass the layout option");
            }
        }
        long[] s = input.shape();
        boolean first = s[1] == 1 || s[1] == 3;
        boolean last = s[3] == 1 || s[3] == 3;
        if (first) return TensorLayout.NCHW; // also the usual choice when both fit, e.g. [N,3,3,3]
        if (last) return TensorLayout.NHWC;
        if (s[1] < 0 && s[3] > 0) return TensorLayout.NCHW;
        if (s[3] < 0 && s[1] > 0) return TensorLayout.NHWC;
        if (s[1] < 0) return TensorLayout.NCHW;
        throw new InvalidInputException("model input '" + input.name() + "' " + input.shapeText() + " has no "
                + "1- or 3-channel axis at position 1 or 3: pass the layout (NCHW or NHWC) or give an .npz");
    }

    private static int size(ModelInputSpec input, long dim, Integer crop, String what) {
        if (dim > 0) {
            if (crop != null && crop != dim) {
                throw new InvalidInputException("crop " + what + " " + crop + " does not fit model input '"
                        + input.name() + "' " + input.shapeText() + ": leave the crop out, the model fixes it");
            }
            return (int) dim;
        }
        if (crop != null && crop < 1) throw new InvalidInputException("crop " + what + " must be at least 1");
        return crop == null ? -1 : crop;
    }

    static double parseScale(String text) {
        try {
            return ImageOptions.parseScale(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("model metadata " + META_SCALE + "='" + text + "' is not a positive number or "
                    + "a fraction like 1/255: fix the metadata or pass the scale option");
        }
    }

    private static double[] values(double[] given, Map<String, String> metadata, String key, int channels,
                                   ModelInputSpec input) {
        String where;
        double[] v;
        if (given != null && given.length > 0) {
            v = given.clone();
            where = "option";
        } else if (metadata.containsKey(key)) {
            where = "model metadata " + key;
            String[] parts = metadata.get(key).split(",");
            v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    v[i] = Double.parseDouble(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(where + "='" + metadata.get(key) + "' is not a comma-separated "
                            + "list of numbers: fix the metadata or pass the option");
                }
            }
        } else {
            return null;
        }
        if (v.length == 1) return filled(channels, v[0]);
        if (v.length != channels) {
            throw new InvalidInputException(where + " has " + v.length + " values but model input '" + input.name()
                    + "' has " + channels + " channels: give one value or one per channel");
        }
        return v;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * Resizes and crops one image to the model's size and normalises it. Returns the values in CHW order (channels
     * already in the model's order); the result's height and width are in {@link Sample}.
     */
    public Sample prepare(RasterImage img, String source) {
        int outH = height > 0 ? height : -1;
        int outW = width > 0 ? width : -1;
        RasterImage x = img;
        if (resizeShorter != null) {
            x = ImageOps.resizeShorterSide(x, resizeShorter);
        } else if (outH > 0 && outW > 0 && (img.width() != outW || img.height() != outH)) {
            x = ImageOps.resizeShorterSide(x, Math.max(outH, outW));
        }
        if (outH < 0) outH = x.height();
        if (outW < 0) outW = x.width();
        if (outW > x.width() || outH > x.height()) {
            throw new InvalidInputException("image " + source + " is " + x.width() + "x" + x.height() + " after "
                    + "resizing, smaller than the model's " + outW + "x" + outH + ": pass a larger resize size");
        }
        x = ImageOps.centerCrop(x, outW, outH);
        x = ImageOps.toChannels(x, channels);
        int plane = outW * outH;
        float[] chw = new float[channels * plane];
        float[] p = x.pixels();
        for (int c = 0; c < channels; c++) {
            int srcC = order == ChannelOrder.BGR ? channels - 1 - c : c;
            double m = mean[c];
            double sd = std[c];
            for (int i = 0; i < plane; i++) chw[c * plane + i] = (float) ((p[i * channels + srcC] * scale - m) / sd);
        }
        return new Sample(outH, outW, chw);
    }

    /** Normalised values of one image in CHW order. */
    public record Sample(int height, int width, float[] chw) {
    }

    /** Writes one sample as batch item b into a tensor of shape {@link #batchShape}, in the model's layout and type. */
    void write(Sample s, MemorySegment dst, int b) {
        int plane = s.height() * s.width();
        long base = (long) b * channels * plane;
        float[] v = s.chw();
        if (layout == TensorLayout.NCHW) {
            for (int i = 0; i < v.length; i++) Elements.putDouble(dst, type, base + i, v[i]);
        } else {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) Elements.putDouble(dst, type, base + (long) i * channels + c, v[c * plane + i]);
            }
        }
    }

    long[] batchShape(int batch, int h, int w) {
        return layout == TensorLayout.NCHW ? new long[] {batch, channels, h, w} : new long[] {batch, h, w, channels};
    }

    public ModelInputSpec input() {
        return input;
    }

    public TensorLayout layout() {
        return layout;
    }

    public int channels() {
        return channels;
    }

    public double scale() {
        return scale;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    public ChannelOrder channelOrder() {
        return order;
    }

    /** One line for logs, e.g. "NCHW 1x28x28, scale 0.00392, mean [0.286], std [0.353], RGB". */
    @Override
    public String toString() {
        return layout + " " + channels + "x" + (height > 0 ? height : "?") + "x" + (width > 0 ? width : "?")
                + (resizeShorter != null ? ", resize " + resizeShorter : "") + ", scale " + (float) scale
                + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ", " + order;
    }
}
