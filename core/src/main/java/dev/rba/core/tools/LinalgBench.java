package dev.rba.core.tools;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.linalg.CudaBackend;
import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.JavaBackend;
import dev.rba.core.linalg.OpenBlasBackend;
import dev.rba.core.linalg.cuda.CudaGramAccumulator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Times one backend on the operations rba's analysis spends its time in. A small hand-written harness rather than
 * JMH, so that the CLI ({@code rba bench linalg}) can call it in-process and print a table or JSON: each operation
 * runs {@code warmups} untimed times (JIT compilation, library loading, GPU clocks), then {@code repeats} timed
 * times; the median is reported; every result feeds a checksum ({@link Report#checksum()}) so no work can be
 * optimised away.
 *
 * <p>Operations at rows N, dim D: (a) {@code gram}: streamed Gram of N x D in batches of {@code batchRows}
 * (default 6,304 = 32 images x 197 tokens), including the final read-out; (b) {@code cross-gram}: the same over
 * [X|Y] (2D columns, what X^T Y needs); (c) {@code fit}: Cholesky solve of the D x D system with D right-hand sides;
 * (d) {@code sgemm}: the backend's raw sgemm computing X^T X in one call over all N rows (X^T prepared untimed);
 * (e) for cuda, {@code gram-pinned}: (a) with X in the backend's page-locked memory ({@link Backend#allocateHost}),
 * where the analysis keeps its batch buffers, so uploads need no staging copy. Any subset can be chosen.
 * GFLOP/s counts 2*N*C^2 for a Gram over C columns even where a syrk does half of that, so that (a) and (d) are
 * comparable; the fit counts D^3/3 (factor) + 2*D^3 (two triangular solves). For cuda, times are from host memory
 * with copies included, and {@code copyShare} is the share of the wall time the uploads took on the GPU.
 */
public final class LinalgBench {

    /** The timed operations; {@link #GRAM_PINNED} only where the backend has page-locked host memory (cuda). */
    public enum Operation {
        GRAM("gram"), GRAM_PINNED("gram-pinned"), CROSS_GRAM("cross-gram"), FIT("fit"), SGEMM("sgemm");

        private final String label;

        Operation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Parses a comma-separated list of labels ("gram,fit"), or "all". */
        public static Set<Operation> parse(String list) {
            if (list == null || list.isBlank() || list.strip().equals("all")) {
                return EnumSet.allOf(Operation.class);
            }
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (String part : list.split(",")) {
                String p = part.strip();
                Operation found = null;
                for (Operation o : values()) {
                    if (o.label.equals(p)) {
                        found = o;
                    }
                }
                if (found == null) {
                    throw new IllegalArgumentException("unknown benchmark operation '" + p + "'; choose from " + labels()
                            + " (comma-separated) or all");
                }
                ops.add(found);
            }
            return ops;
        }

        /** "gram, gram-pinned, ...", for messages. */
        static String labels() {
            return String.join(", ", Arrays.stream(values()).map(Operation::label).toList());
        }
    }

    /** Benchmark sizes and the operations to time. */
    public record Config(int rows, int dim, int batchRows, int warmups, int repeats, Set<Operation> operations) {
        public static Config defaults() {
            return new Config(50_000, 768, 6_304, 1, 5, EnumSet.allOf(Operation.class));
        }

        public Config(int rows, int dim, int batchRows, int warmups, int repeats) {
            this(rows, dim, batchRows, warmups, repeats, EnumSet.allOf(Operation.class));
        }

        public Config {
            if (rows < 1 || dim < 1 || batchRows < 1 || warmups < 0 || repeats < 1) {
                throw new IllegalArgumentException("benchmark sizes must be positive (rows=" + rows + ", dim=" + dim + ", batch rows="
                        + batchRows + ", warmups=" + warmups + ", repeats=" + repeats + ")");
            }
            if (operations == null || operations.isEmpty()) {
                throw new IllegalArgumentException("no benchmark operation chosen; name at least one of " + Operation.labels());
            }
            operations = Set.copyOf(operations);
        }
    }

    /**
     * One timed operation. {@code ratioToSgemm} is this operation's GFLOP/s over the same backend's raw sgemm's;
     * {@code copyShare} is NaN except for cuda Gram runs.
     */
    public record Result(String backend, String variant, String operation, long rows, int dim, double medianSeconds,
                         double minSeconds, double gflops, double ratioToSgemm, double copyShare) {
    }

    /** Results of one backend plus the machine they ran on. */
    public record Report(String backend, String detail, String cpuModel, int cpuThreads, int backendThreads, String gpuName,
                         Config config, List<Result> results, double checksum) {

        public static final String HEADER_NOTE = "GFLOP/s counts 2*N*C^2 flops for a Gram over C columns (a syrk, where a backend uses one, does half), "
                + "D^3/3 + 2*D^3 for the fit; times are medians";

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("# backend ").append(backend).append(": ").append(detail).append('\n');
            sb.append("# CPU ").append(cpuModel).append(", ").append(cpuThreads).append(" hardware threads, backend threads ")
                    .append(backendThreads).append(gpuName == null ? "" : ", GPU " + gpuName).append('\n');
            sb.append("# ").append(HEADER_NOTE).append('\n');
            sb.append(String.format(Locale.ROOT, "%-9s %-7s %-11s %8s %6s %10s %9s %9s %10s%n", "backend", "variant", "operation",
                    "rows", "dim", "seconds", "GFLOP/s", "vs sgemm", "copy share"));
            for (Result r : results) {
                sb.append(String.format(Locale.ROOT, "%-9s %-7s %-11s %8d %6d %10.4f %9.1f %9s %10s%n", r.backend(), r.variant(),
                        r.operation(), r.rows(), r.dim(), r.medianSeconds(), r.gflops(),
                        Double.isNaN(r.ratioToSgemm()) ? "-" : String.format(Locale.ROOT, "%.2f", r.ratioToSgemm()),
                        Double.isNaN(r.copyShare()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.copyShare())));
            }
            return sb.toString();
        }
    }

    private LinalgBench() {
    }

    /** Opens the named backend(s) and benchmarks them: for cuda, once with fp32 and once with TF32 products. */
    public static List<Report> run(String backendChoice, Config config) {
        String choice = Backends.resolveChoice(backendChoice);
        List<Report> reports = new ArrayList<>();
        if (choice.equals(CudaBackend.NAME)) {
            for (boolean tf32 : new boolean[] {false, true}) {
                try (Backend b = new CudaBackend(tf32)) {
                    reports.add(run(b, config));
                }
            }
            return reports;
        }
        try (Backend b = Backends.open(choice).backend()) {
            reports.add(run(b, config));
        }
        return reports;
    }

    public static Report run(Backend backend, Config cfg) {
        int n = cfg.rows();
        int d = cfg.dim();
        Set<Operation> ops = cfg.operations();
        boolean cuda = backend instanceof CudaBackend;
        String variant = backend instanceof CudaBackend cb ? (cb.tf32() ? "tf32" : "fp32") : "fp32";
        double[] checksum = {0};
        List<Result> results = new ArrayList<>();
        String name = backend.name();
        double gramFlops = 2.0 * n * d * d;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = randomMatrix(arena, 42, n, d);
            double sgemmRate = Double.NaN;
            if (ops.contains(Operation.SGEMM)) {
                MemorySegment xt = transpose(arena, x, n, d);
                MemorySegment c = arena.allocate((long) d * d * Float.BYTES, 64);
                Timing sgemm = time(cfg, () -> {
                    backend.sgemm(d, d, n, xt, x, c);
                    checksum[0] += c.getAtIndex(ValueLayout.JAVA_FLOAT, 0) + c.getAtIndex(ValueLayout.JAVA_FLOAT, (long) d * d - 1);
                    return Double.NaN;
                });
                sgemmRate = gramFlops / sgemm.median / 1e9;
                results.add(result(name, variant, Operation.SGEMM, n, d, sgemm, gramFlops, sgemmRate));
            }
            if (ops.contains(Operation.GRAM)) {
                Timing gram = time(cfg, () -> streamGram(backend, x, n, d, cfg.batchRows(), false, checksum));
                results.add(result(name, variant, Operation.GRAM, n, d, gram, gramFlops, sgemmRate));
            }
            if (ops.contains(Operation.GRAM_PINNED) && cuda) {
                // the same rows, in the backend's page-locked memory: what the analysis's own batch buffers are
                MemorySegment pinned = backend.allocateHost(x.byteSize(), arena);
                MemorySegment.copy(x, 0, pinned, 0, x.byteSize());
                Timing gram = time(cfg, () -> streamGram(backend, pinned, n, d, cfg.batchRows(), true, checksum));
                results.add(result(name, variant, Operation.GRAM_PINNED, n, d, gram, gramFlops, sgemmRate));
            }
            if (ops.contains(Operation.CROSS_GRAM)) {
                MemorySegment xy = randomMatrix(arena, 43, n, 2 * d);
                Timing cross = time(cfg, () -> streamGram(backend, xy, n, 2 * d, cfg.batchRows(), false, checksum));
                results.add(result(name, variant, Operation.CROSS_GRAM, n, d, cross, 2.0 * n * (2.0 * d) * (2.0 * d), sgemmRate));
            }
            if (ops.contains(Operation.FIT)) {
                double[] spd = spdSystem(backend, x, n, d, cfg.batchRows());
                Random rnd = new Random(44);
                double[] rhs = new double[d * d];
                for (int i = 0; i < rhs.length; i++) {
                    rhs[i] = rnd.nextGaussian();
                }
                Timing fit = time(cfg, () -> {
                    double[] b = rhs.clone();
                    if (!backend.choleskySolve(d, d, spd.clone(), b)) {
                        throw new IllegalStateException("benchmark system is not positive definite");
                    }
                    checksum[0] += b[0] + b[b.length - 1];
                    return Double.NaN;
                });
                results.add(result(name, variant, Operation.FIT, n, d, fit, (1.0 / 3 + 2) * d * (double) d * d, sgemmRate));
            }
        }
        String gpu = backend instanceof CudaBackend cb ? cb.deviceName() : null;
        return new Report(backend.name(), backend.detail(), cpuModel(), Runtime.getRuntime().availableProcessors(),
                backendThreads(backend), gpu, cfg, List.copyOf(results), checksum[0]);
    }

    private static int backendThreads(Backend b) {
        if (b instanceof JavaBackend j) {
            return j.threads();
        }
        if (b instanceof OpenBlasBackend o) {
            return o.threads();
        }
        return 0;
    }

    /** One streamed Gram: accumulator creation (part of real use), all batches, and the read-out of the fp64 result. */
    private static double streamGram(Backend backend, MemorySegment data, int n, int cols, int batchRows, boolean expectDirect,
                                     double[] checksum) {
        try (GramAccumulator acc = backend.newGramAccumulator(cols)) {
            long t0 = System.nanoTime();
            for (long r = 0; r < n; r += batchRows) {
                long k = Math.min(batchRows, n - r);
                acc.add(data.asSlice(r * cols * Float.BYTES, k * cols * Float.BYTES), k);
            }
            double[] g = acc.gram();
            double seconds = (System.nanoTime() - t0) / 1e9;
            checksum[0] += g[0] + g[g.length - 1] + acc.columnSums()[0];
            if (acc instanceof CudaGramAccumulator cuda) {
                long[] uploaded = cuda.uploadedBytes();
                // a figure for the wrong path would be worse than none
                if ((expectDirect ? uploaded[1] : uploaded[0]) != 0) {
                    throw new IllegalStateException("the benchmark meant to upload " + (expectDirect ? "straight from page-locked"
                            : "through staging") + " memory, but the accumulator reports " + uploaded[0] + " bytes direct and "
                            + uploaded[1] + " staged");
                }
                return cuda.copyMillis() / 1e3 / seconds;
            }
            return Double.NaN;
        }
    }

    /** G/N + I from the data: a realistic, well-conditioned SPD system for the fit timing. */
    private static double[] spdSystem(Backend backend, MemorySegment x, int n, int d, int batchRows) {
        try (GramAccumulator acc = backend.newGramAccumulator(d)) {
            for (long r = 0; r < n; r += batchRows) {
                long k = Math.min(batchRows, n - r);
                acc.add(x.asSlice(r * d * Float.BYTES, k * d * Float.BYTES), k);
            }
            double[] g = acc.gram();
            for (int i = 0; i < g.length; i++) {
                g[i] /= n;
            }
            for (int i = 0; i < d; i++) {
                g[i * d + i] += 1;
            }
            return g;
        }
    }

    private interface Op {
        /** Runs once; returns the copy share (cuda Gram) or NaN. */
        double run();
    }

    private record Timing(double median, double min, double copyShare) {
    }

    private static Timing time(Config cfg, Op op) {
        for (int i = 0; i < cfg.warmups(); i++) {
            op.run();
        }
        double[] seconds = new double[cfg.repeats()];
        double[] shares = new double[cfg.repeats()];
        for (int i = 0; i < cfg.repeats(); i++) {
            long t0 = System.nanoTime();
            shares[i] = op.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = median(sorted);
        double[] sortedShares = shares.clone();
        Arrays.sort(sortedShares);
        return new Timing(median, sorted[0], Double.isNaN(shares[0]) ? Double.NaN : median(sortedShares));
    }

    private static double median(double[] sorted) {
        int m = sorted.length;
        return m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
    }

    private static Result result(String backend, String variant, Operation op, int n, int d, Timing t, double flops, double sgemmRate) {
        double rate = flops / t.median() / 1e9;
        return new Result(backend, variant, op.label(), n, d, t.median(), t.min(), rate, rate / sgemmRate, t.copyShare());
    }

    /** Gaussian fp32 entries, filled in parallel blocks of rows, each from its own seeded generator (reproducible). */
    private static MemorySegment randomMatrix(Arena arena, long seed, int rows, int cols) {
        MemorySegment s = arena.allocate((long) rows * cols * Float.BYTES, 64);
        int block = 4096;
        IntStream.range(0, (rows + block - 1) / block).parallel().forEach(b -> {
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + b);
            long from = (long) b * block * cols;
            long to = Math.min((long) (b + 1) * block, rows) * cols;
            for (long i = from; i < to; i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) rnd.nextGaussian());
            }
        });
        return s;
    }

    private static MemorySegment transpose(Arena arena, MemorySegment x, int rows, int cols) {
        MemorySegment t = arena.allocate((long) rows * cols * Float.BYTES, 64);
        IntStream.range(0, cols).parallel().forEach(j -> {
            for (long i = 0; i < rows; i++) {
                t.setAtIndex(ValueLayout.JAVA_FLOAT, j * (long) rows + i, x.getAtIndex(ValueLayout.JAVA_FLOAT, i * cols + j));
            }
        });
        return t;
    }

    /** The CPU model from /proc/cpuinfo ("model name"), or the OS architecture where that file does not exist. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /**
     * Stand-alone entry: {@code LinalgBench [backend] [rows] [dim] [batchRows] [warmups] [repeats]}; prints tables.
     * Backend: auto, cuda, openblas, java, or "all" for every one that opens.
     */
    public static void main(String[] args) {
        Config d = Config.defaults();
        String backend = args.length > 0 ? args[0] : "auto";
        Config cfg = new Config(arg(args, 1, d.rows()), arg(args, 2, d.dim()), arg(args, 3, d.batchRows()), arg(args, 4, d.warmups()),
                arg(args, 5, d.repeats()));
        List<String> names = backend.equals("all") ? List.of("cuda", "openblas", "java") : List.of(backend);
        for (String name : names) {
            try {
                for (Report r : run(name, cfg)) {
                    System.out.print(r.table());
                    System.out.println("# checksum " + r.checksum());
                }
            } catch (RuntimeException e) {
                System.out.println("# backend " + name + " not benchmarked: " + e.getMessage());
            }
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
