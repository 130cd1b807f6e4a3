package dev.rba.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables with columns sized to their contents, within 100 columns, and number formats shared by the reports. */
final class Tables {
    /** Columns a table may take: a terminal a little wider than the classic 80. */
    static final int WIDTH = 100;
    /** The narrowest the wrapped last column gets, even when the columns before it leave less room. */
    private static final int MIN_WRAP = 30;

    private final List<String[]> rows = new ArrayList<>();

    Tables(String... header) {
        rows.add(header);
    }

    void row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "" : cells[i].toString();
        rows.add(r);
    }

    /**
     * Prints the table within {@link #WIDTH} columns: the last column, the one with free text (paths, messages,
     * tensor names), starts a new line at each '\n' of a cell and wraps what runs past the width, at a space when it
     * can, its continuation lines indented to the column. The other columns are short and print as they are.
     */
    void print(PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                for (String line : r[i].split("\n", -1)) width[i] = Math.max(width[i], line.length());
            }
        }
        int lastStart = 0;
        for (int i = 0; i < cols - 1; i++) lastStart += width[i] + 2;
        int lastWidth = Math.max(WIDTH - lastStart, MIN_WRAP);
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols - 1; i++) {
                // padded by hand: a column that is empty in every row has width 0, and "%-0s" is not a format
                sb.append(r[i]).append(" ".repeat(width[i] - r[i].length())).append("  ");
            }
            List<String> last = wrap(r[cols - 1], lastWidth);
            out.println((sb + last.getFirst()).stripTrailing());
            for (String more : last.subList(1, last.size())) out.println(" ".repeat(lastStart) + more);
        }
    }

    /** Prints {@code lead} then {@code text}, wrapped within {@link #WIDTH} columns and indented under its start. */
    static void paragraph(PrintWriter out, String lead, String text) {
        List<String> lines = wrap(text, Math.max(WIDTH - lead.length(), MIN_WRAP));
        out.println(lead + lines.getFirst());
        for (String more : lines.subList(1, lines.size())) out.println(" ".repeat(lead.length()) + more);
    }

    /**
     * Prints one line of a report's prose within {@link #WIDTH} columns: what runs past it continues on lines
     * indented by two spaces (a long path, a note, a list of timings).
     */
    static void line(PrintWriter out, String text) {
        String first = wrap(text, WIDTH).getFirst();
        out.println(first);
        String rest = text.substring(first.length()).strip();
        if (!rest.isEmpty()) for (String more : wrap(rest, WIDTH - 2)) out.println("  " + more);
    }

    /** Lines of at most {@code width} characters: breaks at '\n', then at the last space that fits, else hard. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String rest : text.split("\n", -1)) {
            while (rest.length() > width) {
                int cut = rest.lastIndexOf(' ', width);
                if (cut <= 0) cut = width;
                lines.add(rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut).stripLeading();
            }
            lines.add(rest);
        }
        return lines;
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
