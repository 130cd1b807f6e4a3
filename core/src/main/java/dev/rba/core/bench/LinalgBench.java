package dev.rba.core.bench;

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
import java.util.Random;

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
 * (d) {@code sgemm}: the backend's raw sgemm computing X^T X in one call over all N rows (X^T prepared untimed).
 * GFLOP/s counts 2*N*C^2 for a Gram over C columns even though syrk does half of that, so that (a) and (d) are
 * comparable; the fit counts D^3/3 (factor) + 2*D^3 (two triangular solves). For cuda, times are from host memory
 * with copies included, and {@code copyShare} is the share of the wall time the uploads took on the GPU.
 */
public final class LinalgBench {

    /** Benchmark sizes. */
    public record Config(int rows, int dim, int batchRows, int warmups, int repeats) {
        public static Config defaults() {
            return new Config(50_000, 768, 6_304, 1, 5);
        }

        public Config {
            if (rows < 1 || dim < 1 || batchRows < 1 || warmups < 0 || repeats < 1) {
                throw new IllegalArgumentException("benchmark sizes must be positive (rows=" + rows + ", dim=" + dim + ", batch rows="
                        + batchRows + ", warmups=" + warmups + ", repeats=" + repeats + ")");
            }
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

        public static final String HEADER_NOTE = "GFLOP/s counts 2*N*C^2 flops for a Gram over C columns (syrk does half of them), "
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
                sb.append(String.format(Locale.ROOT, "%-9s %-7s %-11s %8d %6d %10.4f %9.1f %9.2f %10s%n", r.backend(), r.variant(),
                        r.operation(), r.rows(), r.dim(), r.medianSeconds(), r.gflops(), r.ratioToSgemm(),
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
        String variant = backend instanceof CudaBackend cb ? (cb.tf32() ? "tf32" : "fp32") : "fp32";
        double[] checksum = {0};
        List<Result> results = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            Random rnd = new Random(42);
            MemorySegment x = randomMatrix(arena, rnd, n, d);
            MemorySegment xy = randomMatrix(arena, rnd, n, 2 * d);
            MemorySegment xt = transpose(arena, x, n, d);
            MemorySegment c = arena.allocate((long) d * d * Float.BYTES, 64);

            Timing sgemm = time(cfg, () -> {
                backend.sgemm(d, d, n, xt, x, c);
                checksum[0] += c.getAtIndex(ValueLayout.JAVA_FLOAT, 0) + c.getAtIndex(ValueLayout.JAVA_FLOAT, (long) d * d - 1);
                return Double.NaN;
            });
            double gramFlops = 2.0 * n * d * d;
            double sgemmRate = gramFlops / sgemm.median / 1e9;

            Timing gram = time(cfg, () -> streamGram(backend, x, n, d, cfg.batchRows(), checksum));
            Timing cross = time(cfg, () -> streamGram(backend, xy, n, 2 * d, cfg.batchRows(), checksum));

            double[] spd = spdSystem(backend, x, n, d, cfg.batchRows());
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

            String name = backend.name();
            results.add(result(name, variant, "gram", n, d, gram, gramFlops, sgemmRate));
            results.add(result(name, variant, "cross-gram", n, d, cross, 2.0 * n * (2.0 * d) * (2.0 * d), sgemmRate));
            results.add(result(name, variant, "fit", n, d, fit, (1.0 / 3 + 2) * d * (double) d * d, sgemmRate));
            results.add(result(name, variant, "sgemm", n, d, sgemm, gramFlops, sgemmRate));
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
    private static double streamGram(Backend backend, MemorySegment data, int n, int cols, int batchRows, double[] checksum) {
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

    private static Result result(String backend, String variant, String op, int n, int d, Timing t, double flops, double sgemmRate) {
        double rate = flops / t.median() / 1e9;
        return new Result(backend, variant, op, n, d, t.median(), t.min(), rate, rate / sgemmRate, t.copyShare());
    }

    private static MemorySegment randomMatrix(Arena arena, Random rnd, int rows, int cols) {
        MemorySegment s = arena.allocate((long) rows * cols * Float.BYTES, 64);
        long count = (long) rows * cols;
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) rnd.nextGaussian());
        }
        return s;
    }

    private static MemorySegment transpose(Arena arena, MemorySegment x, int rows, int cols) {
        MemorySegment t = arena.allocate((long) rows * cols * Float.BYTES, 64);
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                t.setAtIndex(ValueLayout.JAVA_FLOAT, j * rows + i, x.getAtIndex(ValueLayout.JAVA_FLOAT, i * cols + j));
            }
        }
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
