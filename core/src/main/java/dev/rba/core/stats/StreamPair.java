package dev.rba.core.stats;

/** Two streams by index into the plan's stream list, e.g. {@code (i, j+1)} for span i-j. */
public record StreamPair(int a, int b) {
    public StreamPair {
        if (a < 0 || b < 0 || a == b) {
            throw new IllegalArgumentException("stream pair (" + a + ", " + b + ") needs two distinct stream indices");
        }
    }

    /** The same pair with the smaller index first: statistics of a pair do not depend on its order. */
    public StreamPair canonical() {
        return a < b ? this : new StreamPair(b, a);
    }
}
