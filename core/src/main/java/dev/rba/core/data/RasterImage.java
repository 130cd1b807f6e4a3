package dev.rba.core.data;

/**
 * A decoded image as floats in 0..255, row-major with interleaved channels (HWC): pixel (x, y) channel c is at
 * {@code (y * width + x) * channels + c}. One channel is grey, three are R, G, B.
 */
public record RasterImage(int width, int height, int channels, float[] pixels) {
    public RasterImage {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3");
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("pixel array of " + pixels.length + " for " + width + "x" + height
                    + "x" + channels);
        }
    }

    public float get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c];
    }

    /** An 8-bit grey image from bytes in row-major order (as IDX files store them). */
    public static RasterImage gray(int width, int height, byte[] data, int offset) {
        float[] p = new float[width * height];
        for (int i = 0; i < p.length; i++) p[i] = data[offset + i] & 0xff;
        return new RasterImage(width, height, 1, p);
    }
}
