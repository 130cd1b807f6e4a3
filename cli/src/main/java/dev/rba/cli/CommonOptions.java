package dev.rba.cli;

import picocli.CommandLine.Option;

/** Options every command takes. Mixed in with {@code @Mixin}. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces and extra detail on errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress output on stderr.")
    boolean quiet;

    /** Set by the running command so that the error handler knows whether to print stack traces. */
    static volatile boolean verboseErrors;

    void apply() {
        verboseErrors = verbose;
    }
}
