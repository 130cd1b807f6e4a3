package dev.rba.cli;

import dev.rba.core.tools.DiscoveryBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code rba bench discovery}: block discovery's cost against the node count, which must grow linearly. */
@Command(name = "discovery", abbreviateSynopsis = true,   // the full one runs past 80 columns
        header = "Times block discovery; fails unless it grows linearly.",
        description = {"Builds two graphs in memory at each node count and times block discovery",
                "on them: a chain of Identity nodes (which must be refused: it holds no",
                "block) and a pre-norm encoder of many tiny blocks (which must be found).",
                "Prints the CPU seconds of the discovering thread (best of --repeats runs",
                "after a warm-up), wall seconds, the machine and the load average.",
                "",
                "Exits 1 when t(largest)/t(smallest) exceeds (largest/smallest)^1.5 for",
                "either graph, or an answer is wrong: for 25,000 and 200,000 nodes linear",
                "growth gives 8x, quadratic 64x, and the bound is 22.6x. Issue 13's 2 s",
                "for 200,000 Identity nodes is printed for information only.",
                "",
                "Example: rba bench discovery --nodes 25000,200000 --repeats 5"})
final class BenchDiscoveryCommand extends Subcommand {
    @Option(names = "--nodes", split = ",", paramLabel = "N", defaultValue = "25000,50000,100000,200000",
            description = "Node counts to time (default ${DEFAULT-VALUE}).")
    List<Integer> nodes;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed runs per graph and size; the best is kept. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        DiscoveryBench.Config config = new DiscoveryBench.Config(nodes, repeats);
        DiscoveryBench.Report report = DiscoveryBench.run(config, line -> {
            if (!common.quiet) {
                err.println("rba: timing " + line + " ...");
                err.flush();
            }
        });
        out.print(report.table());
        out.flush();
        if (report.passed()) return 0;
        err.println("rba: block discovery failed the benchmark (a growth above the bound or a wrong answer, see the table)");
        err.flush();
        return CliErrors.INTERNAL;
    }
}
