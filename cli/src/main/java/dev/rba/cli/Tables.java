package dev.rba.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables with columns sized to their contents, and number formats shared by the reports. */
final class Tables {
    private final List<String[]> rows = new ArrayList<>();

    Tables(String... header) {
        rows.add(header);
    }

    void row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "" : cells[i].toString();
        rows.add(r);
    }

    void print(PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) sb.append("  ");
                // padded by hand: a column that is empty in every row has width 0, and "%-0s" is not a format
                sb.append(r[i]).append(" ".repeat(width[i] - r[i].length()));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** 1234567 → "1.23M"; -1 (unknown) → "?". */
    static String count(Long n) {
        if (n == null || n < 0) return "?";
        if (n < 10_000) return Long.toString(n);
        if (n < 10_000_000) return String.format("%.1fk", n / 1e3);
        if (n < 10_000_000_000L) return String.format("%.2fM", n / 1e6);
        return String.format("%.2fG", n / 1e9);
    }

    /** A dimension: -1 means dynamic. */
    static String dim(Long n) {
        return n == null || n < 0 ? "dynamic" : Long.toString(n);
    }
}
