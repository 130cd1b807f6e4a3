package dev.rba.core.approx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run of consecutive blocks {@code first..last} (0-based, inclusive): replacing it maps h_first to h_{last+1}.
 * Written {@code first-last} on the command line, e.g. {@code 9-10} maps h_9 to h_11; a single block is {@code 4-4}
 * or {@code 4}.
 */
public record Span(int first, int last) {

    public Span {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("span " + first + "-" + last + " is not a block range: give START-END with "
                    + "0 <= START <= END");
        }
    }

    /** Parses {@code START-END} or a single block number. */
    public static Span parse(String text) {
        String s = text.strip();
        int dash = s.indexOf('-', 1);
        try {
            if (dash < 0) {
                int k = Integer.parseInt(s);
                return new Span(k, k);
            }
            return new Span(Integer.parseInt(s.substring(0, dash).strip()), Integer.parseInt(s.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("span '" + text + "' is not START-END (0-based block numbers, inclusive, "
                    + "e.g. 9-10)");
        }
    }

    /** Index of the boundary the span reads, h_first. */
    public int inputBoundary() {
        return first;
    }

    /** Index of the boundary the span produces, h_{last+1}. */
    public int outputBoundary() {
        return last + 1;
    }

    public int blocks() {
        return last - first + 1;
    }

    /** {@code 9-10}. */
    public String text() {
        return first + "-" + last;
    }

    /** {@code blocks 9-10 (h_9 -> h_11)}: every report names both the blocks and the h indices. */
    public String label() {
        return (first == last ? "block " + first : "blocks " + first + "-" + last) + " (h_" + first + " -> h_" + (last + 1) + ")";
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * The spans sorted in model order, after checking that they lie within {@code blockCount} blocks and do not
     * overlap (adjacent spans are fine: they share a boundary).
     */
    public static List<Span> checked(List<Span> spans, int blockCount) {
        if (spans.isEmpty()) throw new IllegalArgumentException("no spans given: name at least one span START-END");
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::first));
        for (Span s : sorted) {
            if (s.last >= blockCount) {
                throw new IllegalArgumentException("span " + s.text() + " is out of range: the model has " + blockCount
                        + " blocks, numbered 0-" + (blockCount - 1));
            }
        }
        for (int k = 1; k < sorted.size(); k++) {
            Span a = sorted.get(k - 1);
            Span b = sorted.get(k);
            if (b.first <= a.last) {
                throw new IllegalArgumentException("spans " + a.text() + " and " + b.text() + " overlap: give "
                        + "non-overlapping spans (adjacent ones such as 2-3 and 4-5 are fine)");
            }
        }
        return List.copyOf(sorted);
    }

    /** Total blocks the spans remove. */
    public static int totalBlocks(List<Span> spans) {
        int n = 0;
        for (Span s : spans) n += s.blocks();
        return n;
    }

    /** {@code 2-3+6-6}: a span set in one token, for tables. */
    public static String text(List<Span> spans) {
        StringBuilder sb = new StringBuilder();
        for (Span s : spans) {
            if (!sb.isEmpty()) sb.append('+');
            sb.append(s.text());
        }
        return sb.toString();
    }
}
