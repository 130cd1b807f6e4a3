package dev.rba.core.tools;

import dev.rba.core.analysis.SimilarityTable;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heatmap layout and colours on synthetic matrices: large, with gaps, constant. */
class HeatmapPngTest {

    @Test
    void colourMeansSimilarityWhicheverWayTheMetricRuns() {
        int n = 25;
        double[][] cos = new double[n][n];
        double[][] mse = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                cos[a][b] = 1.0 - Math.abs(a - b) / (double) n;
                mse[a][b] = Math.abs(a - b);
            }
        }
        cos[3][7] = Double.NaN;
        BufferedImage img = HeatmapPng.render(List.of(new SimilarityTable("cosine", "cls", cos),
                new SimilarityTable("mse", "all", mse), new SimilarityTable("cka", "all", constant(n, 0.5))), "t");
        int cell = Math.max(14, Math.min(56, 520 / n));
        BufferedImage one = HeatmapPng.render(List.of(new SimilarityTable("cka", "all", constant(n, 0.5))), null);
        assertEquals(2 * one.getWidth(), img.getWidth(), "two panels per row");
        assertEquals(30 + 2 * one.getHeight(), img.getHeight(), "three panels: two rows under the title");
        // cell centres of the first panel (cosine) and the second (mse)
        int x0 = 56 + cell / 2;
        int y0 = 30 + 40 + cell / 2;
        Color bright = HeatmapPng.ramp(1.0);
        Color dark = HeatmapPng.ramp(0.0);
        assertEquals(bright.getRGB(), img.getRGB(x0, y0), "cosine diagonal is the bright end");
        assertEquals(dark.getRGB(), img.getRGB(x0 + (n - 1) * cell, y0), "least similar pair is the dark end");
        assertEquals(new Color(200, 200, 200).getRGB(), img.getRGB(x0 + 7 * cell, y0 + 3 * cell), "NaN is grey");
        int x1 = one.getWidth() + x0;
        assertEquals(bright.getRGB(), img.getRGB(x1, y0), "MSE 0 on the diagonal is bright too");
        assertEquals(dark.getRGB(), img.getRGB(x1 + (n - 1) * cell, y0));
    }

    @Test
    void compactNumbersStayShort() {
        assertEquals("0.99", HeatmapPng.compact(0.987));
        assertEquals("-12.3", HeatmapPng.compact(-12.34));
        assertEquals("-140", HeatmapPng.compact(-140.2));
        assertEquals("1.2e+03", HeatmapPng.compact(1234));
        assertEquals("7.9e-03", HeatmapPng.compact(0.0079));
        assertTrue(HeatmapPng.compact(0).equals("0.00"));
    }

    static double[][] constant(int n, double v) {
        double[][] m = new double[n][n];
        for (double[] r : m) java.util.Arrays.fill(r, v);
        return m;
    }
}
