package dev.rba.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work on stderr. On a terminal: a bar redrawn in place ({@code \r}) at most every 100 ms. Not on a
 * terminal (a pipe, a log file, a test): no bar, which would fill logs with carriage returns, only one "done in X s"
 * line at the end. With --quiet: nothing at all.
 *
 * <pre>
 * try (Progress p = Progress.start(err, common.quiet, "calibration", total, "samples")) {
 *     ... p.set(done) ...
 * }
 * </pre>
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean bar;
    private final boolean silent;
    private final String label;
    private final String unit;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean closed;

    private Progress(PrintWriter err, boolean bar, boolean silent, String label, long total, String unit) {
        this.err = err;
        this.bar = bar;
        this.silent = silent;
        this.label = label;
        this.total = Math.max(0, total);
        this.unit = unit;
    }

    /** Starts showing progress of {@code total} {@code unit}s of work named {@code label}. */
    public static Progress start(PrintWriter err, boolean quiet, String label, long total, String unit) {
        return new Progress(err, !quiet && onTerminal(), quiet, label, total, unit);
    }

    /** Whether stderr is (very likely) a terminal: a console exists and is interactive. */
    static boolean onTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Sets how much is done; redraws when on a terminal and the last redraw is old enough. */
    public synchronized void set(long doneSoFar) {
        done = Math.min(Math.max(doneSoFar, 0), total == 0 ? doneSoFar : total);
        if (!bar || closed) return;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) return;
        lastDraw = now;
        draw();
    }

    /** Adds {@code n} to what is done. */
    public synchronized void advance(long n) {
        set(done + n);
    }

    /** Seconds since the start. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void draw() {
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        double s = elapsedSeconds();
        String eta = done > 0 && done < total ? String.format(Locale.ROOT, ", %.0f s left", s * (total - done) / done) : "";
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %s  %.1f s%s   ", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, unit, s, eta));
        err.flush();
    }

    /** Ends the bar with a newline and prints "label: done in X s" (nothing with --quiet). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (silent) return;
        if (bar) {
            draw();
            err.println();
        }
        err.println(String.format(Locale.ROOT, "rba: %s: %d %s done in %.1f s", label, done, unit, elapsedSeconds()));
        err.flush();
    }
}
