package dev.rba.core.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows a statistic should see, selected by plain loops in double precision from heap copies of the batches:
 * the independent reference that {@link StreamStatistics} is checked against.
 */
final class ReferenceRows {

    final List<double[]> selected = new ArrayList<>();
    final List<double[]> summary = new ArrayList<>();

    /** Adds a batch [batch, tokens, d]; mask null = all real. */
    void add(float[] x, int batch, int tokens, int d, long[] mask, TokenSelection selection, TokenSelection summaryToken) {
        addRows(selected, x, batch, tokens, d, mask, selection);
        addRows(summary, x, batch, tokens, d, mask, summaryToken);
    }

    private static void addRows(List<double[]> out, float[] x, int batch, int tokens, int d, long[] mask,
                                TokenSelection selection) {
        for (int s = 0; s < batch; s++) {
            double[] mean = new double[d];
            int count = 0;
            for (int t = 0; t < tokens; t++) {
                boolean real = mask == null || mask[s * tokens + t] == 1;
                if (!real) continue;
                double[] row = new double[d];
                for (int c = 0; c < d; c++) row[c] = x[(s * tokens + t) * d + c];
                if (selection == TokenSelection.ALL) out.add(row);
                if (selection == TokenSelection.CLS && t == 0) out.add(row);
                for (int c = 0; c < d; c++) mean[c] += row[c];
                count++;
            }
            if (selection == TokenSelection.MEAN) {
                for (int c = 0; c < d; c++) mean[c] /= count;
                out.add(mean);
            }
        }
    }

    static double[] crossGram(List<double[]> x, List<double[]> y) {
        int da = x.getFirst().length;
        int db = y.getFirst().length;
        double[] g = new double[da * db];
        for (int r = 0; r < x.size(); r++) {
            for (int i = 0; i < da; i++) for (int j = 0; j < db; j++) g[i * db + j] += x.get(r)[i] * y.get(r)[j];
        }
        return g;
    }

    static double[] columnSums(List<double[]> x) {
        double[] s = new double[x.getFirst().length];
        for (double[] row : x) for (int i = 0; i < s.length; i++) s[i] += row[i];
        return s;
    }

    static double cosineSum(List<double[]> x, List<double[]> y) {
        double sum = 0;
        for (int r = 0; r < x.size(); r++) {
            double dot = 0, nx = 0, ny = 0;
            for (int c = 0; c < x.get(r).length; c++) {
                dot += x.get(r)[c] * y.get(r)[c];
                nx += x.get(r)[c] * x.get(r)[c];
                ny += y.get(r)[c] * y.get(r)[c];
            }
            sum += dot / Math.sqrt(nx * ny);
        }
        return sum;
    }

    static double squaredDifferenceSum(List<double[]> x, List<double[]> y) {
        double sum = 0;
        for (int r = 0; r < x.size(); r++) {
            for (int c = 0; c < x.get(r).length; c++) {
                double e = y.get(r)[c] - x.get(r)[c];
                sum += e * e;
            }
        }
        return sum;
    }

    /** Linear CKA with explicit centring of the rows (not via column sums). */
    static double cka(List<double[]> x, List<double[]> y) {
        List<double[]> xc = centred(x);
        List<double[]> yc = centred(y);
        return frob2(crossGram(xc, yc)) / Math.sqrt(frob2(crossGram(xc, xc)) * frob2(crossGram(yc, yc)));
    }

    private static List<double[]> centred(List<double[]> x) {
        double[] mean = columnSums(x);
        for (int i = 0; i < mean.length; i++) mean[i] /= x.size();
        List<double[]> out = new ArrayList<>();
        for (double[] row : x) {
            double[] c = row.clone();
            for (int i = 0; i < c.length; i++) c[i] -= mean[i];
            out.add(c);
        }
        return out;
    }

    private static double frob2(double[] m) {
        double s = 0;
        for (double v : m) s += v * v;
        return s;
    }
}
