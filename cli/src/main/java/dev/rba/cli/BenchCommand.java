package dev.rba.cli;

import picocli.CommandLine.Command;

/** {@code rba bench}: groups the benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Benchmarks (linalg: statistics and fit; discovery: its growth).",
        description = {"Benchmarks. Figures are printed with the machine, the backend and the sizes;",
                "compare ratios within one run, because shared machines are noisy."},
        synopsisSubcommandLabel = "BENCHMARK",
        subcommands = {BenchLinalgCommand.class, BenchDiscoveryCommand.class})
final class BenchCommand {
}
