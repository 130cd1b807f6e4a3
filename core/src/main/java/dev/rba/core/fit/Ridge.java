package dev.rba.core.fit;

import java.util.Locale;

/**
 * The ridge of a least-squares fit: T solves (G + lambda I) T = C with G the (centred, for the affine fit) Gram of the
 * input stream and C its cross-Gram with the output; the affine fit's bias is not penalised.
 *
 * <ul>
 * <li>{@link #NONE}: no ridge (one is still added, and reported, when G is numerically singular).</li>
 * <li>{@link #relative(double)}: lambda = factor * trace(G) / d, a multiple of G's mean eigenvalue, so one factor
 *     means the same on streams of any scale.</li>
 * <li>{@link #AUTO}: the smallest lambda that brings cond(G + lambda I) = (e_max + lambda) / (e_min + lambda) down to
 *     2^20, i.e. lambda = max(0, (e_max - 2^20 e_min) / (2^20 - 1)) from G's extreme eigenvalues. 2^20 is where a
 *     Gram summed from fp32 products stops resolving T's weakest directions (error ~ cond * 2^-24, see
 *     NormalEquations), so the ridge only damps directions the data cannot determine; a Gram already better
 *     conditioned gets none.</li>
 * </ul>
 */
public record Ridge(boolean auto, double factor) {
    public static final Ridge NONE = new Ridge(false, 0.0);
    public static final Ridge AUTO = new Ridge(true, 0.0);
    /** The condition number {@link #AUTO} aims at. */
    public static final double AUTO_CONDITION = 0x1p20;

    public Ridge {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a ridge factor must be 0 or more, got " + factor);
        }
    }

    public static Ridge relative(double factor) {
        return factor == 0 ? NONE : new Ridge(false, factor);
    }

    /**
     * {@code auto}, or a number: the factor of trace(G)/d. A refusal names the text and what is expected, not an
     * option: the CLI's converter puts the option's name before it.
     */
    public static Ridge parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return AUTO;
        double factor;
        try {
            factor = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            factor = Double.NaN;
        }
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("ridge '" + text.strip() + "' is neither auto nor a number >= 0 (a multiple "
                    + "of the Gram's mean eigenvalue, e.g. 1e-6)");
        }
        return relative(factor);
    }

    public boolean none() {
        return !auto && factor == 0;
    }

    /** lambda for a Gram with extreme eigenvalues {@code min}, {@code max} and trace/d {@code meanEigen}. */
    double lambda(double min, double max, double meanEigen) {
        if (auto) return Math.max(0.0, (max - AUTO_CONDITION * min) / (AUTO_CONDITION - 1));
        return factor * meanEigen;
    }
}
