package dev.rba.core.fit;

import dev.rba.core.linalg.Backend;
import dev.rba.core.stats.StreamStatistics;

import java.util.HashMap;
import java.util.Map;

/**
 * The eigenvalues of each input stream's Gram (raw or centred) in one set of statistics, computed once: every span
 * that starts at h_i solves with the same Gram, and its eigen-decomposition (for the condition number and the ridge
 * rules) costs far more than the Cholesky solve. A selection fits every span it ranks, so this saves most of that.
 */
public final class GramSpectra {
    private final StreamStatistics stats;
    private final Backend backend;
    private final Map<Integer, double[]> raw = new HashMap<>();
    private final Map<Integer, double[]> centred = new HashMap<>();

    public GramSpectra(StreamStatistics stats, Backend backend) {
        this.stats = stats;
        this.backend = backend;
    }

    /** Whether these spectra belong to {@code s} (the same object). */
    public boolean of(StreamStatistics s) {
        return s == stats;
    }

    /** Ascending eigenvalues of the Gram {@code g} of stream {@code input} (centred or not), computed on first need. */
    double[] eigenvalues(int input, boolean isCentred, int d, double[] g) {
        return (isCentred ? centred : raw).computeIfAbsent(input, k -> backend.symmetricEigen(d, g.clone(), null));
    }
}
