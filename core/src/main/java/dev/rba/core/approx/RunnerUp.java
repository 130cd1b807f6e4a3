package dev.rba.core.approx;

import java.util.List;

/**
 * The candidate that lost the staged check's last comparison with the chosen one, and how far apart the two stood on
 * the held-out samples both ran: in the figure that stage ordered by (the KL divergence of the softmax from the
 * original's for class scores by default, else the drop), each one's value on those samples and a paired 95%
 * bootstrap interval of (runner-up - chosen). Where that interval holds 0 the samples cannot tell the two apart: the
 * choice between them is a tie within noise, and other held-out samples (or another seed, batch size, or backend,
 * which move an ill-conditioned fit by its rounding) may pick the other.
 *
 * @param spans         the runner-up's spans
 * @param samples       the held-out samples both were compared on (the last stage they both ran)
 * @param byDivergence  whether the figure is the KL divergence (else the drop, in points)
 * @param labelWeight   the weight of the true label's log-loss change blended into the KL divergence (0: KL alone;
 *                      {@link SearchOptions#labelWeight})
 * @param chosen        the chosen candidate's figure on those samples
 * @param runnerUp      the runner-up's figure on those samples
 * @param difference    paired 95% bootstrap interval of runnerUp - chosen
 */
public record RunnerUp(List<Span> spans, int samples, boolean byDivergence, double labelWeight, double chosen, double runnerUp,
                       Interval difference) {
    public RunnerUp {
        spans = List.copyOf(spans);
    }

    /** The figure's short name: "kl", "kl+labels" (KL blended with the true label's log-loss change) or "drop". */
    public String figure() {
        return !byDivergence ? "drop" : labelWeight > 0 ? "kl+labels" : "kl";
    }

    /** The runner-up's figure minus the chosen's (positive: the chosen did better on these samples). */
    public double gap() {
        return runnerUp - chosen;
    }

    /** Whether the interval of the gap holds 0: these samples cannot tell the two candidates apart. */
    public boolean tiedWithinNoise() {
        return difference.containsZero();
    }
}
