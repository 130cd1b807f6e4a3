package dev.rba.cli;

import dev.rba.core.pipeline.LoadedModel;

/** Parts that both analyze's and approximate's JSON reports hold (records, which Json writes in snake_case). */
final class ReportParts {
    private ReportParts() {
    }

    /** The input whose zeros mark padded tokens (null when none) and how rba found it. */
    public record PaddingMask(String input, String how) {
        static PaddingMask of(LoadedModel m) {
            return new PaddingMask(m.maskInput(), m.maskNote());
        }
    }

    /** The token Block Redundancy read ("cls" or "mean") and why. */
    public record SummaryToken(String token, String reason) {
    }
}
