package dev.rba.core.onnx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.linalg.Backend;
import dev.rba.core.stats.SampleSpaceCka;
import dev.rba.core.stats.StatisticsAccumulator;
import dev.rba.core.stats.StatisticsPlan;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenMask;
import dev.rba.core.stats.TokenSelection;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.CalibrationTimings;
import dev.rba.core.pipeline.OutputBatch;
import dev.rba.core.pipeline.SummaryToken;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import dev.rba.onnx.runtime.CapturedBatch;
import dev.rba.onnx.runtime.ForwardingInputs;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.OutputExposer;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.api.RuntimeOptions;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One pass of calibration data through the model: ONNX Runtime writes h_0..h_L of every batch into off-heap buffers
 * and the statistics of the whole pass are accumulated from them, batch by batch, on the chosen backend. Only the
 * statistics (O(d^2) per pair of streams) outlive a batch, so any number of samples fits in memory.
 *
 * <p>Two accumulators at most: one over all real tokens (what the fits need; it also carries the Block Redundancy sums
 * on the summary token), and, when the similarity matrices want other rows (CLS or mean token), a second one over
 * those, which costs one row per sample. CKA of those rows is taken in sample space ({@link SampleSpaceCka}: the rows
 * and one n x n kernel per h_k) when that holds less than a joint Gram of every h_k, which it does unless the samples
 * outnumber the columns (ViT-H, 8 samples: 1.4 MB against 14 GB). Padding never enters any statistic (the capture's
 * token mask).
 */
public final class CapturePass {
    /**
     * Widest joint Gram (sum of all h_k widths) kept in one piece: 12,288 columns is 1.2 GB of fp64 and holds ViT-B
     * (13 x 768). Wider models keep one Gram per span pair (i, j+1) instead, bounded by the max span.
     */
    static final int JOINT_MAX_COLUMNS = 12 * 1024;

    private CapturePass() {
    }

    /**
     * Runs the captured streams of {@code target} over {@code samples} (indices into {@code data}, read in the given
     * order) and accumulates their statistics.
     *
     * @param options  batch size, ORT settings, tokens; a null summary token means CLS here (use
     *                 {@link dev.rba.core.pipeline.CalibrationPass} to decide from the model)
     * @param progress told the number of samples done after every batch; may be null
     * @param outputs  receives the model's own outputs of every batch (for evaluation); may be null
     */
    public static CalibrationResult run(CaptureTarget target, CalibrationData data, int[] samples, Backend backend,
                                        CalibrationOptions options, LongConsumer progress, Consumer<OutputBatch> outputs) {
        TokenSelection summary = options.summaryToken() == null ? TokenSelection.CLS : options.summaryToken();
        TokenSelection simTokens = options.similarityTokens() == null ? summary : options.similarityTokens();
        List<String> names = target.boundaryNames();
        int d = Math.toIntExact(target.shape().d());
        int[] widths = new int[names.size()];
        Arrays.fill(widths, d);
        StatisticsPlan simPlan = simTokens == TokenSelection.ALL ? null
                : StatisticsPlan.rowSumsOnly(names, widths, simTokens, summary);
        // CKA of rows that are one per sample: in sample space when that holds less than the joint Gram
        long sampleCkaBytes = 0;
        if (simPlan != null && options.similarityGrams()) {
            StatisticsPlan joint = StatisticsPlan.allPairs(names, widths, simTokens, summary);
            long bytes = SampleSpaceCka.bytes(widths, simPlan.usedStreams(), samples.length);
            if (bytes < 2 * joint.gramBytes()) sampleCkaBytes = bytes;
            else simPlan = joint;
        }
        // Without all-token Grams the similarity rows carry everything Block Redundancy needs (its summary-token sums)
        StatisticsPlan fitPlan = options.allTokenGrams() || simPlan == null
                ? fitPlan(names, widths, summary, options.maxSpan(), options.fitPairs()) : null;
        // only the h_k some statistic reads leave ONNX Runtime: a fit of span i-j captures h_i and h_{j+1}
        boolean[] used = new boolean[names.size()];
        for (StatisticsPlan plan : new StatisticsPlan[] {fitPlan, simPlan}) {
            if (plan == null) continue;
            boolean[] u = plan.usedStreams();
            for (int k = 0; k < used.length; k++) used[k] |= u[k];
        }
        List<String> captured = new ArrayList<>();
        int[] capturedIndex = new int[names.size()];
        for (int k = 0; k < used.length; k++) {
            capturedIndex[k] = used[k] ? captured.size() : -1;
            if (used[k]) captured.add(names.get(k));
        }
        checkHeap(sampleCkaBytes, fitPlan, simPlan);
        CalibrationInputs inputs = new CalibrationInputs(data, samples, options.batchSize());
        TimedInputs timed = new TimedInputs(inputs);
        CaptureOptions captureOptions = new CaptureOptions(options.batchSize(),
                captureRuntime(options.ortThreads(), options.cudaProvider()), target.maskInput());
        long[] statsNanos = new long[1];
        long[] copyNanos = new long[1];
        long[] consumerNanos = new long[1];
        long[] done = new long[1];
        int maxBatches = (samples.length + options.batchSize() - 1) / options.batchSize();
        long[] forwardPerBatch = new long[maxBatches];
        long[] statsPerBatch = new long[maxBatches];
        int[] batchIndex = {0};
        long t0 = System.nanoTime();
        long[] sessionNanos = new long[1];
        try (StatisticsAccumulator fitAcc = fitPlan == null ? null : new StatisticsAccumulator(backend, fitPlan);
             StatisticsAccumulator simAcc = simPlan == null ? null : sampleCkaBytes > 0
                     ? StatisticsAccumulator.withSampleSpaceCka(backend, simPlan, samples.length)
                     : new StatisticsAccumulator(backend, simPlan);
             ActivationFloats floats = new ActivationFloats();
             ActivationCapture capture = timedOpen(target, captured, outputs != null, captureOptions, sessionNanos)) {
            // end of the previous consumer call and the data time up to then: what lies between is this batch's ORT time
            long[] lastEnd = {System.nanoTime(), 0};
            capture.run(timed, batch -> {
                long s0 = System.nanoTime();
                int bi = batchIndex[0]++;
                forwardPerBatch[bi] = s0 - lastEnd[0] - (timed.nanos - lastEnd[1]);
                int count = batch.count();
                int tokens = batch.tokens();
                long elements = (long) count * tokens * batch.d();
                MemorySegment[] streams = new MemorySegment[names.size()];
                for (int k = 0; k < streams.length; k++) {
                    int c = capturedIndex[k];
                    if (c >= 0) streams[k] = floats.asFloat32(c, batch.h(c), batch.elementType(), elements);
                }
                long c1 = System.nanoTime();
                copyNanos[0] += c1 - s0;
                TokenMask mask = batch.hasTokenMask() ? TokenMask.fromInt8Segment(count, tokens, batch.tokenMask()) : null;
                if (fitAcc != null) fitAcc.add(count, tokens, streams, mask);
                if (simAcc != null) simAcc.add(count, tokens, streams, mask);
                long s1 = System.nanoTime();
                statsNanos[0] += s1 - c1;
                statsPerBatch[bi] = s1 - c1;
                if (outputs != null) {
                    outputs.accept(outputBatch(batch, inputs));
                    consumerNanos[0] += System.nanoTime() - s1;
                }
                done[0] += count;
                if (progress != null) progress.accept(done[0]);
                lastEnd[0] = System.nanoTime();
                lastEnd[1] = timed.nanos;
            });
            StreamStatistics sim = simAcc == null ? null : simAcc.snapshot();
            StreamStatistics fit = fitAcc == null ? sim : fitAcc.snapshot();
            if (sim == null) sim = fit;
            double total = (System.nanoTime() - t0) / 1e9;
            double dataS = timed.nanos / 1e9;
            double statsS = statsNanos[0] / 1e9;
            double copyS = copyNanos[0] / 1e9;
            double consumerS = consumerNanos[0] / 1e9;
            double sessionS = sessionNanos[0] / 1e9;
            // ORT's share is what remains of the capture loop: the runs, and copying inputs in
            int n = batchIndex[0];
            CalibrationTimings timings = new CalibrationTimings(sessionS, dataS,
                    Math.max(0, total - sessionS - dataS - copyS - statsS - consumerS), copyS, statsS, consumerS, total, n,
                    median(forwardPerBatch, n), median(statsPerBatch, n));
            return new CalibrationResult(fit, sim, names, new SummaryToken.Choice(summary, "chosen by the caller"), simTokens,
                    done[0], inputs.labels(), timings, backend.name());
        }
    }

    private static ActivationCapture timedOpen(CaptureTarget target, List<String> captured, boolean modelOutputs,
                                               CaptureOptions options, long[] nanos) {
        long t = System.nanoTime();
        try {
            return ActivationCapture.open(captureModel(target, captured, modelOutputs), target.dataFolder(), captured,
                    target.shape(), options);
        } finally {
            nanos[0] = System.nanoTime() - t;
        }
    }

    /**
     * The model a capture runs. When the model's own outputs are not wanted, a copy that computes only the captured
     * h_k ({@link OutputExposer#prefix}): ONNX Runtime runs every node of a session's graph whatever outputs a run
     * asks for (its profile of a ViT-B asked for h_9 and h_11 only lists all 393 kernels, block 11's and the head's
     * included), so the blocks after the last captured h_k and the head would run for nothing (--replace 9-10 on a
     * ViT-B: 1 of 12 blocks; 20-21 on a ViT-L: 2 of 24), and their weights would sit in the session.
     */
    public static ModelProto captureModel(CaptureTarget target, List<String> captured, boolean modelOutputs) {
        return modelOutputs ? target.proto() : OutputExposer.prefix(target.proto(), captured, target.shape());
    }

    /**
     * Refuses, before any work, a pass whose fp64 statistics (held twice: while accumulated and once read out) would
     * not fit the Java heap: it would otherwise die of an OutOfMemoryError after the whole forward pass.
     */
    static void checkHeap(StatisticsPlan... plans) {
        checkHeap(0, plans);
    }

    /** The same, with {@code extraBytes} more (sample-space CKA's rows and kernels, {@link SampleSpaceCka#bytes}). */
    static void checkHeap(long extraBytes, StatisticsPlan... plans) {
        long bytes = extraBytes;
        long widest = 0;
        for (StatisticsPlan p : plans) {
            if (p == null) continue;
            bytes += 2 * p.gramBytes();
            widest = Math.max(widest, p.widestGram());
        }
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            String parts = extraBytes > 0
                    ? String.format(java.util.Locale.ROOT, "CKA's per-sample rows and n x n kernels %.1f GiB, fp64 Grams up to %,d columns wide, held twice",
                            extraBytes / (double) (1L << 30), widest)
                    : String.format(java.util.Locale.ROOT, "fp64 Grams up to %,d columns wide, held twice", widest);
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the statistics of this pass need "
                    + "%.1f GiB of Java heap (%s), more than the %.1f GiB this JVM may use: leave CKA out "
                    + "(--metric br,cosine,mse), use fewer samples (--samples), fit fewer spans at once, or give Java "
                    + "more memory (RBA_JAVA_OPTS=-Xmx<size>)", bytes / (double) (1L << 30), parts,
                    max / (double) (1L << 30)));
        }
    }

    /**
     * ORT settings for a capture: ORT's intra-op threads do not spin-wait after a run, since the statistics of that
     * batch then run on the same cores (on a loaded 2-core machine this halved the wall time of a pass).
     */
    public static RuntimeOptions captureRuntime(int threads, boolean cuda) {
        return new RuntimeOptions(threads, true, cuda, false);
    }

    /**
     * All tokens over the cheaper layout: one Gram per wanted pair, or every pair in one joint Gram when that fits and
     * is smaller (the Grams' bytes are also their products' flops). The wanted pairs are {@code chosen}, else every
     * span (i, j+1) up to {@code maxSpan} blocks (0 = all spans).
     */
    static StatisticsPlan fitPlan(List<String> names, int[] widths, TokenSelection summary, int maxSpan,
                                  List<StreamPair> chosen) {
        long cols = 0;
        for (int w : widths) cols += w;
        List<StreamPair> pairs = new ArrayList<>();
        if (chosen != null) {
            Set<StreamPair> seen = new HashSet<>();
            for (StreamPair p : chosen) if (seen.add(p.canonical())) pairs.add(p);
        } else {
            int blocks = names.size() - 1;
            int longest = maxSpan == 0 ? blocks : Math.min(maxSpan, blocks);
            for (int i = 0; i < blocks; i++) {
                for (int j = i; j < blocks && j - i + 1 <= longest; j++) pairs.add(new StreamPair(i, j + 1));
            }
        }
        long bytes = 0;
        for (StreamPair p : pairs) {
            long c = widths[p.a()] + widths[p.b()];
            bytes += c * c * Double.BYTES;
        }
        if (cols <= JOINT_MAX_COLUMNS && (pairs.isEmpty() || cols * cols * Double.BYTES <= bytes)) {
            return StatisticsPlan.allPairs(names, widths, TokenSelection.ALL, summary);
        }
        if (bytes > (8L << 30)) {
            throw new IllegalArgumentException("statistics for " + pairs.size() + " spans of width " + widths[0] + " need "
                    + (bytes >> 30) + " GiB: limit the span length with --max-span");
        }
        return StatisticsPlan.chosenPairs(names, widths, TokenSelection.ALL, summary, pairs);
    }

    private static OutputBatch outputBatch(CapturedBatch batch, CalibrationInputs inputs) {
        Map<String, OutputBatch.Output> outs = new LinkedHashMap<>();
        for (Map.Entry<String, CapturedBatch.ModelOutput> e : batch.outputs().entrySet()) {
            outs.put(e.getKey(), new OutputBatch.Output(e.getValue().shape().clone(), e.getValue().values()));
        }
        int[] all = inputs.labels();
        int[] labels = all == null ? null
                : Arrays.copyOfRange(all, (int) batch.start(), (int) batch.start() + batch.count());
        return new OutputBatch(batch.start(), batch.count(), labels, outs);
    }

    /** The median of the first {@code count} durations, in seconds. */
    static double median(long[] nanos, int count) {
        if (count == 0) return 0;
        long[] sorted = java.util.Arrays.copyOf(nanos, count);
        java.util.Arrays.sort(sorted);
        double m = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0;
        return m / 1e9;
    }

    /** Times the data loader (decoding, preprocessing) apart from ONNX Runtime. */
    private static final class TimedInputs extends ForwardingInputs {
        long nanos;

        TimedInputs(ModelInputs inner) {
            super(inner);
        }

        @Override
        public List<InputTensor> batch(long start, int count) {
            long t = System.nanoTime();
            try {
                return inner.batch(start, count);
            } finally {
                nanos += System.nanoTime() - t;
            }
        }
    }
}
