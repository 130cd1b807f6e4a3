package dev.rba.cli;

import dev.rba.core.pipeline.SummaryToken;
import dev.rba.core.stats.TokenSelection;
import picocli.CommandLine.Option;

/**
 * {@code --summary-token}: the token Block Redundancy reads, for the commands that compute it (analyze, approximate).
 * Mixed in with {@code @Mixin}, so both take it with one meaning and one help text.
 */
public final class SummaryTokenMixin {
    @Option(names = "--summary-token", paramLabel = "cls|mean|0", converter = Value.class,
            description = "Token BR reads: cls (token 0) or mean (default: cls when token 0 of h_0 is the same for every sample, i.e. a learned class token; else mean).")
    TokenSelection token;   // null: rba decides from the data

    /** cls, 0 (token 0, the same) or mean, in any case; a refused value is one line naming the option (picocli's). */
    public static final class Value extends OptionValues.Parsed<TokenSelection> {
        public Value() {
            super(SummaryToken::parseOption);
        }
    }
}
