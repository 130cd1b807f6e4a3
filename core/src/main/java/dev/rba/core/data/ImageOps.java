package dev.rba.core.data;

/** Geometric and colour operations on {@link RasterImage}s used by the preprocessing pipeline. */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Bilinear resize with pixel centres at half-integer coordinates (align_corners=False, no antialiasing), the
     * convention of PyTorch's bilinear interpolation and OpenCV's INTER_LINEAR: output pixel x samples the input at
     * {@code max(0, (x + 0.5) * inW / outW - 0.5)}, with the right/bottom neighbour clamped to the border.
     */
    public static RasterImage resize(RasterImage src, int outW, int outH) {
        if (outW == src.width() && outH == src.height()) return src;
        int c = src.channels();
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        axis(src.width(), outW, x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        axis(src.height(), outH, y0, y1, fy);
        float[] out = new float[outW * outH * c];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                for (int k = 0; k < c; k++) {
                    float top = lerp(src.get(x0[x], y0[y], k), src.get(x1[x], y0[y], k), fx[x]);
                    float bottom = lerp(src.get(x0[x], y1[y], k), src.get(x1[x], y1[y], k), fx[x]);
                    out[(y * outW + x) * c + k] = lerp(top, bottom, fy[y]);
                }
            }
        }
        return new RasterImage(outW, outH, c, out);
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = Math.max(0.0, (o + 0.5) * scale - 0.5);
            int a = Math.min((int) s, in - 1);
            i0[o] = a;
            i1[o] = Math.min(a + 1, in - 1);
            frac[o] = (float) (s - a);
        }
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    /**
     * Resizes so that the shorter side becomes size, keeping the aspect ratio; the longer side is
     * {@code floor(size * longer / shorter)} as torchvision's Resize(int) computes it.
     */
    public static RasterImage resizeShorterSide(RasterImage src, int size) {
        int w = src.width();
        int h = src.height();
        if (w <= h) return resize(src, size, (int) ((long) size * h / w));
        return resize(src, (int) ((long) size * w / h), size);
    }

    /** The centre outW x outH window; offsets round half to even like torchvision's CenterCrop. */
    public static RasterImage centerCrop(RasterImage src, int outW, int outH) {
        if (outW == src.width() && outH == src.height()) return src;
        if (outW > src.width() || outH > src.height()) {
            throw new IllegalArgumentException("crop " + outW + "x" + outH + " is larger than the image "
                    + src.width() + "x" + src.height());
        }
        int left = (int) Math.rint((src.width() - outW) / 2.0);
        int top = (int) Math.rint((src.height() - outH) / 2.0);
        int c = src.channels();
        float[] out = new float[outW * outH * c];
        for (int y = 0; y < outH; y++) {
            System.arraycopy(src.pixels(), ((top + y) * src.width() + left) * c, out, y * outW * c, outW * c);
        }
        return new RasterImage(outW, outH, c, out);
    }

    /**
     * Converts between grey and RGB: grey is repeated into three channels; RGB becomes grey with the ITU-R BT.601
     * luma weights 0.299, 0.587, 0.114 (what PIL's convert("L") uses, without its rounding).
     */
    public static RasterImage toChannels(RasterImage src, int channels) {
        if (src.channels() == channels) return src;
        int n = src.width() * src.height();
        float[] in = src.pixels();
        float[] out = new float[n * channels];
        if (channels == 3) {
            for (int i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = in[i];
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (0.299 * in[3 * i] + 0.587 * in[3 * i + 1] + 0.114 * in[3 * i + 2]);
            }
        }
        return new RasterImage(src.width(), src.height(), channels, out);
    }
}
