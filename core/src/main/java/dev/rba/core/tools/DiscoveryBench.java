package dev.rba.core.tools;

import dev.rba.onnx.api.BlockDiscoveryException;
import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.BlockStructure;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.blocks.SyntheticGraphs;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.ModelProto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Times block discovery on large graphs built in memory ({@link SyntheticGraphs}: a chain of Identity nodes, which
 * discovery must refuse, and a pre-norm encoder of many tiny blocks, which it must find), at several node counts, to
 * check that its cost grows linearly (issue 13: a quadratic step once took 20 s on 200,000 nodes).
 *
 * <p>The figure is the CPU time of the discovering thread, best of {@code repeats} runs after one untimed warm-up run
 * per graph (JIT compilation): on a shared machine it moves far less than wall time, which is printed beside it.
 * The verdict compares t(largest)/t(smallest) with (largest/smallest)^{@value #MAX_EXPONENT}: for 25,000 and 200,000
 * nodes, linear growth gives 8x, quadratic 64x, and the bound is 22.6x, wide enough for noise on either side. A
 * graph whose outcome is wrong (blocks not found, or an Identity chain not refused) fails too: the time of a wrong
 * answer says nothing.
 */
public final class DiscoveryBench {
    /** Growth exponent above which the bench fails: between linear (1) and quadratic (2). */
    public static final double MAX_EXPONENT = 1.5;
    /** Issue 13's absolute bound for 200,000 nodes, printed for information (machines differ). */
    public static final double ISSUE_13_SECONDS = 2.0;
    public static final int ISSUE_13_NODES = 200_000;

    /** The graphs timed. */
    public enum Graph {
        IDENTITY_CHAIN("identity-chain"), ENCODER("encoder");

        private final String label;

        Graph(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Node counts (at least two different ones, each at least {@value #MIN_NODES}) and timed runs per size. */
    public record Config(List<Integer> nodes, int repeats) {
        public static final int MIN_NODES = 100;

        public Config {
            nodes = List.copyOf(nodes);
            if (nodes.stream().distinct().count() < 2) {
                throw new IllegalArgumentException("give at least two different node counts, got " + nodes);
            }
            for (int n : nodes) {
                if (n < MIN_NODES) throw new IllegalArgumentException("node count " + n + " is under " + MIN_NODES);
            }
            if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }

        public static Config defaults() {
            return new Config(List.of(25_000, 50_000, 100_000, 200_000), 3);
        }

        int smallest() {
            return nodes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        }

        int largest() {
            return nodes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
    }

    /**
     * One graph at one size: its node count, what discovery answered ({@code 12 blocks}, {@code refused}), whether
     * that is the right answer, and the best CPU and wall seconds.
     */
    public record Timing(Graph graph, int nodes, String outcome, boolean correct, double cpuSeconds, double wallSeconds) {
        public double microsPerNode() {
            return cpuSeconds * 1e6 / nodes;
        }
    }

    /** The timings and the machine they were taken on. */
    public record Report(String cpuModel, int cpuThreads, String java, double loadAverage, Config config, List<Timing> timings) {

        /** t(largest)/t(smallest) for {@code graph}, in CPU time. */
        public double ratio(Graph graph) {
            return timing(graph, config.largest()).cpuSeconds() / timing(graph, config.smallest()).cpuSeconds();
        }

        /** The ratio linear growth gives: largest/smallest node count of the graphs built. */
        public double linearRatio(Graph graph) {
            return (double) timing(graph, config.largest()).nodes() / timing(graph, config.smallest()).nodes();
        }

        /** The most {@link #ratio} may be: {@link #linearRatio} to the power {@value #MAX_EXPONENT}. */
        public double bound(Graph graph) {
            return Math.pow(linearRatio(graph), MAX_EXPONENT);
        }

        /** Every graph grew within its bound and every answer was right. */
        public boolean passed() {
            for (Graph g : Graph.values()) {
                if (!(ratio(g) <= bound(g))) return false;
            }
            return timings.stream().allMatch(Timing::correct);
        }

        private Timing timing(Graph graph, int askedNodes) {
            int i = config.nodes().indexOf(askedNodes);
            return timings.stream().filter(t -> t.graph() == graph).toList().get(i);
        }

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("# block discovery on graphs built in memory: CPU s of the discovering thread (wall s beside),\n");
            sb.append("# best of ").append(config.repeats()).append(" runs after a warm-up\n");
            sb.append(String.format(Locale.ROOT, "# CPU %s, %d hardware threads, Java %s, load average %.2f at start%n",
                    cpuModel, cpuThreads, java, loadAverage));
            sb.append(String.format(Locale.ROOT, "%-15s %9s %-13s %9s %9s %8s%n", "graph", "nodes", "outcome", "CPU s",
                    "wall s", "us/node"));
            for (Timing t : timings) {
                sb.append(String.format(Locale.ROOT, "%-15s %,9d %-13s %9.4f %9.4f %8.2f%n", t.graph().label(), t.nodes(),
                        t.correct() ? t.outcome() : t.outcome() + " (WRONG)", t.cpuSeconds(), t.wallSeconds(), t.microsPerNode()));
            }
            for (Graph g : Graph.values()) {
                double r = ratio(g);
                sb.append(String.format(Locale.ROOT, "%s: t(%,d)/t(%,d) = %.1fx (linear %.0fx, quadratic %.0fx; bound %.1fx): %s%n",
                        g.label(), timing(g, config.largest()).nodes(), timing(g, config.smallest()).nodes(), r,
                        linearRatio(g), linearRatio(g) * linearRatio(g), bound(g), r <= bound(g) ? "linear" : "GROWS FASTER THAN LINEAR"));
            }
            if (config.nodes().contains(ISSUE_13_NODES)) {
                sb.append(String.format(Locale.ROOT, "issue 13 (information): %,d Identity nodes in %.2f CPU s, bound %.0f s%n",
                        ISSUE_13_NODES, timing(Graph.IDENTITY_CHAIN, ISSUE_13_NODES).cpuSeconds(), ISSUE_13_SECONDS));
            }
            return sb.toString();
        }
    }

    private DiscoveryBench() {
    }

    /** Runs the benchmark; {@code progress} hears one line per graph and size before it is timed. */
    public static Report run(Config config, Consumer<String> progress) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Timing> timings = new ArrayList<>();
        for (Graph g : Graph.values()) {
            IntFunction<ModelProto> build = g == Graph.IDENTITY_CHAIN ? SyntheticGraphs::identityChain
                    : n -> SyntheticGraphs.encoder(SyntheticGraphs.encoderBlocksFor(n));
            time(g, build.apply(config.smallest()), 1);   // warm-up: the JIT compiles discovery's loops
            for (int n : config.nodes()) {
                progress.accept(g.label() + " at " + n + " nodes");
                timings.add(time(g, build.apply(n), config.repeats()));
            }
        }
        return new Report(LinalgBench.cpuModel(), Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(), load, config, timings);
    }

    /** Discovery on {@code proto}'s graph, {@code repeats} times (shapes from value_info, never a probe run). */
    private static Timing time(Graph graph, ModelProto proto, int repeats) {
        OnnxModel model = OnnxModel.fromProto(proto);
        int blocksBuilt = graph == Graph.ENCODER
                ? (proto.getGraph().getNodeCount() - SyntheticGraphs.ENCODER_EXTRA_NODES) / SyntheticGraphs.NODES_PER_BLOCK : 0;
        DiscoveryOptions options = DiscoveryOptions.defaults().withProbe(false);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new UnsupportedOperationException("this JVM does not measure a thread's CPU time, which the benchmark reports");
        }
        double bestCpu = Double.MAX_VALUE;
        double bestWall = Double.MAX_VALUE;
        String outcome = null;
        for (int r = 0; r < repeats; r++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            try {
                BlockStructure s = BlockDiscovery.discover(model, options);
                outcome = s.blockCount() + " blocks";
            } catch (BlockDiscoveryException e) {
                // the refusal a graph without blocks must get; any other is a wrong answer
                outcome = e.getMessage().startsWith("no repeated transformer blocks") ? "refused" : "refused: " + e.getMessage();
            }
            bestWall = Math.min(bestWall, (System.nanoTime() - wall0) / 1e9);
            bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        }
        boolean correct = graph == Graph.IDENTITY_CHAIN ? outcome.equals("refused") : outcome.equals(blocksBuilt + " blocks");
        return new Timing(graph, proto.getGraph().getNodeCount(), outcome, correct, bestCpu, bestWall);
    }
}
