package dev.rba.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the before/after table of two evaluations (and, when given, the model's agreement with the baseline). */
public final class Comparison {
    private Comparison() {
    }

    /** Rows comparing {@code before} (the baseline) with {@code after} (the model); either may be null. */
    public static List<ComparisonRow> compare(ModelEvaluation before, ModelEvaluation after) {
        return compare(before, after, null);
    }

    public static List<ComparisonRow> compare(ModelEvaluation before, ModelEvaluation after, Agreement agreement) {
        List<ComparisonRow> rows = new ArrayList<>();
        boolean labels = (after != null && after.hasLabels()) || (before != null && before.hasLabels());
        if (labels) {
            double b = before == null ? Double.NaN : before.accuracy();
            double a = after == null ? Double.NaN : after.accuracy();
            rows.add(new ComparisonRow("top-1 accuracy", percent(b), percent(a), points(a - b), b, a));
        } else {
            rows.add(new ComparisonRow("top-1 accuracy", "n/a", "n/a", "no labels in the data", Double.NaN, Double.NaN));
        }
        if (agreement != null) {
            rows.add(new ComparisonRow("top-1 agreement with baseline", "100.00%", percent(agreement.top1Agreement()),
                    agreement.sameTop1() + "/" + agreement.samples() + " samples", 1.0, agreement.top1Agreement()));
            rows.add(new ComparisonRow("mean output cosine", "1.000000", fixed(agreement.meanCosine(), 6),
                    "min " + fixed(agreement.minCosine(), 6), 1.0, agreement.meanCosine()));
        }
        rows.add(countRow("parameters", before == null ? -1 : before.size().parameters(), after == null ? -1 : after.size().parameters()));
        rows.add(countRow("MACs per sample", before == null ? -1 : before.size().macsPerSample(), after == null ? -1 : after.size().macsPerSample()));
        rows.add(bytesRow(before == null ? -1 : before.size().fileBytes(), after == null ? -1 : after.size().fileBytes()));
        LatencyStats lb = before == null ? null : before.latency();
        LatencyStats la = after == null ? null : after.latency();
        if (lb != null || la != null) {
            int batch = la != null ? la.batchSize() : lb.batchSize();
            rows.add(latencyRow("latency median (batch " + batch + ")", lb == null ? Double.NaN : lb.medianMs(), la == null ? Double.NaN : la.medianMs()));
            rows.add(latencyRow("latency p90 (batch " + batch + ")", lb == null ? Double.NaN : lb.p90Ms(), la == null ? Double.NaN : la.p90Ms()));
        }
        return rows;
    }

    private static ComparisonRow countRow(String metric, long b, long a) {
        return new ComparisonRow(metric, count(b), count(a), b > 0 && a >= 0 ? signedPercent((double) (a - b) / b) : "",
                b < 0 ? Double.NaN : b, a < 0 ? Double.NaN : a);
    }

    private static ComparisonRow bytesRow(long b, long a) {
        return new ComparisonRow("file size", bytes(b), bytes(a), b > 0 && a >= 0 ? signedPercent((double) (a - b) / b) : "",
                b < 0 ? Double.NaN : b, a < 0 ? Double.NaN : a);
    }

    private static ComparisonRow latencyRow(String metric, double b, double a) {
        String change = Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? "" : String.format(Locale.ROOT, "x%.3f (%s)", a / b, signedPercent((a - b) / b));
        return new ComparisonRow(metric, ms(b), ms(a), change, b, a);
    }

    static String percent(double f) {
        return Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }

    static String points(double diff) {
        return Double.isNaN(diff) ? "" : String.format(Locale.ROOT, "%+.2f pt", 100 * diff);
    }

    static String signedPercent(double f) {
        return String.format(Locale.ROOT, "%+.1f%%", 100 * f);
    }

    static String fixed(double v, int digits) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f ms", v);
    }

    /** Exact below 10,000 so that small differences stay visible; then k, M, G. */
    static String count(long n) {
        if (n < 0) return "?";
        if (n < 10_000) return Long.toString(n);
        if (n < 10_000_000) return String.format(Locale.ROOT, "%,d", n);
        if (n < 10_000_000_000L) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        return String.format(Locale.ROOT, "%.2fG", n / 1e9);
    }

    static String bytes(long n) {
        if (n < 0) return "?";
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.2f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
