package dev.rba.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the command's report as JSON on stdout instead of text. Mixed in with {@code @Mixin}. */
public final class JsonMixin {
    @Option(names = "--json", description = "Print the report as JSON instead of text.")
    boolean enabled;
}
