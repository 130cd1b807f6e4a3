package dev.rba.core.tools;

import dev.rba.core.analysis.SimilarityTable;
import dev.rba.onnx.api.OutputFile;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws similarity matrices as a PNG: one panel per metric (two panels per row), cells coloured on a dark-to-bright
 * scale where bright always means "more similar" (so MSE's scale runs the other way), axes labelled h_0..h_L, a colour
 * bar with its end values per panel, and the value printed in each cell when the cells are large enough to read.
 */
public final class HeatmapPng {
    private static final int PANELS_PER_ROW = 2;
    private static final int LEFT = 56;
    private static final int TOP = 40;
    private static final int BOTTOM = 44;
    private static final int BAR_GAP = 18;
    private static final int BAR_WIDTH = 18;
    private static final int BAR_LABELS = 86;
    /** Control points of a perceptually ordered dark-blue → teal → yellow scale (a viridis-like ramp). */
    private static final int[][] RAMP = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private HeatmapPng() {
    }

    /** Writes the panels to {@code target} (temporary file beside it, then rename). Returns the image size. */
    public static int[] write(Path target, List<SimilarityTable> tables, String title) throws IOException {
        if (tables.isEmpty()) throw new IllegalArgumentException("no similarity matrix to draw: ask for at least one metric");
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        BufferedImage img = render(tables, title);
        try (OutputFile file = OutputFile.create(target, "--heatmap")) {
            try (OutputStream os = file.stream()) {
                if (!ImageIO.write(img, "png", os)) throw new IOException("no PNG writer in this Java runtime");
            }
            file.commit();
        }
        return new int[] {img.getWidth(), img.getHeight()};
    }

    /** The image itself (for tests and embedding). */
    static BufferedImage render(List<SimilarityTable> tables, String title) {
        int n = tables.getFirst().size();
        int cell = Math.max(14, Math.min(56, 520 / Math.max(1, n)));
        int panelW = LEFT + n * cell + BAR_GAP + BAR_WIDTH + BAR_LABELS;
        int panelH = TOP + n * cell + BOTTOM;
        int cols = Math.min(PANELS_PER_ROW, tables.size());
        int rows = (tables.size() + cols - 1) / cols;
        int header = title == null || title.isBlank() ? 0 : 30;
        BufferedImage img = new BufferedImage(cols * panelW, header + rows * panelH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            if (header > 0) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
                g.drawString(title, 10, 21);
            }
            for (int p = 0; p < tables.size(); p++) {
                int x0 = (p % cols) * panelW;
                int y0 = header + (p / cols) * panelH;
                drawPanel(g, tables.get(p), x0, y0, cell);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawPanel(Graphics2D g, SimilarityTable t, int x0, int y0, int cell) {
        double[][] v = t.values();
        int n = v.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : v) {
            for (double x : row) {
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(t.metric() + " (" + t.tokens() + " tokens)" + (t.higherIsSimilar() ? "" : ", bright = similar"), x0 + LEFT, y0 + 24);
        int gx = x0 + LEFT;
        int gy = y0 + TOP;
        Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(11, cell / 4)));
        boolean printValues = cell >= 34;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double x = v[a][b];
                double s = scale(x, lo, hi, t.higherIsSimilar());
                Color c = Double.isFinite(x) ? ramp(s) : new Color(200, 200, 200);
                g.setColor(c);
                g.fillRect(gx + b * cell, gy + a * cell, cell, cell);
                if (printValues && Double.isFinite(x)) {
                    g.setFont(valueFont);
                    g.setColor(s > 0.6 ? Color.BLACK : Color.WHITE);
                    drawCentred(g, compact(x), gx + b * cell + cell / 2, gy + a * cell + cell / 2);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(gx, gy, n * cell, n * cell);
        // axis labels: every label when they fit, else every k-th
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        int step = Math.max(1, (int) Math.ceil(28.0 / cell));
        for (int k = 0; k < n; k += step) {
            String label = "h_" + k;
            FontMetrics fm = g.getFontMetrics();
            g.drawString(label, gx - fm.stringWidth(label) - 6, gy + k * cell + cell / 2 + fm.getAscent() / 2 - 1);
            g.drawString(label, gx + k * cell + (cell - fm.stringWidth(label)) / 2, gy + n * cell + fm.getAscent() + 4);
        }
        drawCentred(g, "h_b (columns) vs h_a (rows)", gx + n * cell / 2, gy + n * cell + 30);
        // colour bar: bright end at the top is "most similar"
        int bx = gx + n * cell + BAR_GAP;
        int barH = n * cell;
        for (int y = 0; y < barH; y++) {
            g.setColor(ramp(1.0 - (double) y / Math.max(1, barH - 1)));
            g.fillRect(bx, gy + y, BAR_WIDTH, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(bx, gy, BAR_WIDTH, barH);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double top = t.higherIsSimilar() ? hi : lo;
        double bottom = t.higherIsSimilar() ? lo : hi;
        double mid = (lo + hi) / 2;
        FontMetrics fm = g.getFontMetrics();
        g.drawString(compact(top), bx + BAR_WIDTH + 5, gy + fm.getAscent());
        g.drawString(compact(mid), bx + BAR_WIDTH + 5, gy + barH / 2 + fm.getAscent() / 2);
        g.drawString(compact(bottom), bx + BAR_WIDTH + 5, gy + barH);
    }

    /** 0..1 position on the colour scale, 1 = most similar. */
    static double scale(double x, double lo, double hi, boolean higherIsSimilar) {
        if (!Double.isFinite(x)) return 0;
        double s = hi > lo ? (x - lo) / (hi - lo) : 1.0;
        return higherIsSimilar ? s : 1.0 - s;
    }

    static Color ramp(double s) {
        double p = Math.max(0, Math.min(1, s)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) p);
        double f = p - i;
        int[] a = RAMP[i];
        int[] b = RAMP[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    /** Short, readable numbers: 0.987, -12.3, 1.2e+03. */
    static String compact(double x) {
        double ax = Math.abs(x);
        if (ax != 0 && (ax >= 1000 || ax < 0.01)) return String.format(Locale.ROOT, "%.1e", x);
        if (ax >= 100) return String.format(Locale.ROOT, "%.0f", x);
        if (ax >= 10) return String.format(Locale.ROOT, "%.1f", x);
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static void drawCentred(Graphics2D g, String s, int cx, int cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, cx - fm.stringWidth(s) / 2, cy + (fm.getAscent() - fm.getDescent()) / 2);
    }
}
