package dev.rba.core.data;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Decodes PNG and JPEG files with javax.imageio into {@link RasterImage}s. */
public final class ImageDecoding {
    private ImageDecoding() {
    }

    /** Decodes one file; any failure becomes a {@link BadImageException} naming the file. */
    public static RasterImage decode(Path file) {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw bad(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        if (img == null) throw bad(file, "no image reader recognises its contents", null);
        return toRaster(img);
    }

    static RasterImage toRaster(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        int w = img.getWidth();
        int h = img.getHeight();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // Read grey samples from the raster: getRGB() would push them through a linear-grey to sRGB conversion
            // and change the stored values (a 128 would not stay 128).
            Raster r = img.getRaster();
            double toByte = 255.0 / ((1L << cm.getComponentSize(0)) - 1);
            float[] p = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) p[y * w + x] = (float) (r.getSample(x, y, 0) * toByte);
            }
            return new RasterImage(w, h, 1, p);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // sRGB, 8 bits per channel
        float[] p = new float[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            p[3 * i] = (argb[i] >> 16) & 0xff;
            p[3 * i + 1] = (argb[i] >> 8) & 0xff;
            p[3 * i + 2] = argb[i] & 0xff;
        }
        return new RasterImage(w, h, 3, p);
    }

    private static BadImageException bad(Path file, String why, Throwable cause) {
        return new BadImageException("cannot decode image " + file + " (" + why + "): fix or remove it, or pass "
                + "--skip-bad-images to leave such images out", cause);
    }
}
