package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.SegmentThreads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates {@link StreamStatistics} in one pass over captured activation batches. Each batch brings one float32
 * [batch, tokens, d_k] segment per stream of the plan (and optionally a token mask); Gram products run on the
 * backend in fp32 with fp64 running sums, on rows minus a per-column shift taken from the first batch (so large
 * channel means do not eat the fp32 products' digits), per-row sums run on the CPU. Not thread-safe: one accumulator per thread,
 * then {@link StreamStatistics#merge}. Within a batch, CPU work runs on the accumulator's own worker threads when the
 * caller's segments are not confined to its thread (global, automatic or shared arenas).
 *
 * <p>Owns the backend's Gram accumulators, its worker threads and an arena for its concatenation scratch buffer; all
 * are released by
 * {@link #close()}. The backend itself stays the caller's.
 */
public final class StatisticsAccumulator implements AutoCloseable {

    /**
     * Plans with at least this many pairs run the per-row sums and the concatenation copy on the Vector API: its
     * one-off JIT warm-up (~1 s on the first ViT-B batch) then pays for itself within a batch or two (see
     * {@link RowKernels#addCosineAndSquaredDifference}); a plan of one or two pairs (a fit of chosen spans) runs
     * the scalar loops.
     */
    static final int SIMD_MIN_PAIRS = 8;

    /** Upper bound for one concatenation chunk, in floats (64 MiB): the joint layout is 9,984 columns wide. */
    private static final long CHUNK_FLOATS = 16L << 20;

    private final StatisticsPlan plan;
    private final List<int[]> groups;
    private final List<GramAccumulator> grams = new ArrayList<>();
    private final BatchWorkers workers;
    private final Backend backend;
    /**
     * Shared: worker threads fill the scratch buffer that the backend then reads on the calling thread. Sized by the
     * first batch (and grown, to at most one chunk, by a longer one): a fixed 64 MiB buffer cost more to allocate and
     * fault in than a small fit's whole accumulation.
     */
    private Arena scratchArena;
    private MemorySegment scratch = MemorySegment.NULL;
    /**
     * Per Gram group, the float32 column shift subtracted from every row before the backend's fp32 products: the
     * first batch's column means (zeros until then). See {@link StreamStatistics} for why.
     */
    private final float[][] shifts;
    /** The streams the plan reads; the others are neither captured nor checked. */
    private final boolean[] used;
    /** Whether the row kernels use the Vector API ({@link #SIMD_MIN_PAIRS}). */
    private final boolean simdKernels;
    private boolean shifted;
    private final double[][] rowSums;
    private final double[][] summarySums;
    private long samples;
    /** Selected rows added: the Grams count them too, but a plan may keep no Gram. */
    private long rowsAdded;
    /** Per stream, sum of ||x||^2 over selected rows: only for a plan without Grams (else the Grams' traces). */
    private final double[] streamSquares;
    private long batches;
    private boolean closed;
    /** The similarity rows kept for sample-space CKA, or null ({@link #StatisticsAccumulator(Backend, StatisticsPlan, long)}). */
    private final SampleSpaceCka sampleCka;

    /** An accumulator with one CPU worker per available processor (at most 16). */
    public StatisticsAccumulator(Backend backend, StatisticsPlan plan) {
        this(backend, plan, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param threads CPU threads for the per-stream and per-pair work (1 = all on the calling thread); the results
     *                do not depend on it
     */
    public StatisticsAccumulator(Backend backend, StatisticsPlan plan, int threads) {
        this(backend, plan, threads, 0);
    }

    /**
     * An accumulator that also keeps the selected rows of every stream, up to {@code sampleSpaceRows} of them, for
     * CKA in sample space ({@link SampleSpaceCka}): for a plan without Grams whose rows are one per sample, where
     * the joint Gram CKA otherwise needs is far larger than the rows. Its snapshots then carry every pair's CKA sums.
     */
    public static StatisticsAccumulator withSampleSpaceCka(Backend backend, StatisticsPlan plan, long sampleSpaceRows) {
        if (sampleSpaceRows <= 0) throw new IllegalArgumentException("sample-space CKA needs a positive row count, got " + sampleSpaceRows);
        return new StatisticsAccumulator(backend, plan, Math.min(16, Runtime.getRuntime().availableProcessors()), sampleSpaceRows);
    }

    private StatisticsAccumulator(Backend backend, StatisticsPlan plan, int threads, long sampleSpaceRows) {
        if (sampleSpaceRows > 0 && plan.grams()) {
            throw new IllegalArgumentException("sample-space CKA is for plans without Grams; this plan keeps Grams, "
                    + "which give CKA already");
        }
        this.sampleCka = sampleSpaceRows > 0 ? new SampleSpaceCka(plan.widths(), plan.usedStreams(), sampleSpaceRows) : null;
        this.plan = plan;
        this.backend = backend;
        this.workers = new BatchWorkers(threads);
        this.groups = plan.gramGroups();
        this.used = plan.usedStreams();
        this.simdKernels = plan.pairs().size() >= SIMD_MIN_PAIRS;
        try {
            for (int[] group : groups) {
                int cols = 0;
                for (int s : group) cols += plan.width(s);
                grams.add(backend.newGramAccumulator(cols));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.shifts = new float[groups.size()][];
        for (int g = 0; g < groups.size(); g++) shifts[g] = new float[grams.get(g).cols()];
        this.streamSquares = plan.grams() ? null : new double[plan.streamCount()];
        this.rowSums = new double[plan.pairs().size()][2];
        this.summarySums = new double[plan.pairs().size()][2];
    }

    public StatisticsPlan plan() {
        return plan;
    }

    /** Batches added so far; the next batch gets this index in error messages. */
    public long batches() {
        return batches;
    }

    /**
     * Adds one batch. A batch that is rejected (bad shape, NaN or Inf) leaves the statistics unchanged.
     *
     * @param streams one float32 [batch, tokens, d_k] segment per stream, in plan order; null for a stream the plan
     *                does not use ({@link StatisticsPlan#usedStreams})
     * @param mask    null when every token is real
     * @throws IllegalArgumentException on a NaN or Inf among the used tokens, naming the stream and batch index
     */
    public void add(int batch, int tokens, MemorySegment[] streams, TokenMask mask) {
        if (closed) throw new IllegalStateException("statistics accumulator is closed");
        if (streams.length != plan.streamCount()) {
            throw new IllegalArgumentException("batch " + batches + " brings " + streams.length + " streams but the plan"
                    + " has " + plan.streamCount() + " " + plan.names() + ": pass them in plan order");
        }
        TokenSelection selection = plan.selection();
        TokenSelection summary = plan.summaryToken();
        boolean onlyToken0 = selection == TokenSelection.CLS && summary == TokenSelection.CLS;
        // Worker threads may only touch the caller's segments if those are not confined to the calling thread.
        boolean parallel = true;
        for (int s = 0; s < streams.length; s++) {
            if (!used[s]) continue;
            if (streams[s] == null) {
                throw new IllegalArgumentException("batch " + batches + " lacks stream '" + plan.names().get(s)
                        + "', which the plan uses");
            }
            parallel &= SegmentThreads.accessibleByOtherThreads(streams[s]);
        }
        boolean par = parallel;
        try (Arena batchArena = par ? Arena.ofShared() : Arena.ofConfined()) {
            MemorySegment[] selected = new MemorySegment[streams.length];
            MemorySegment[] summaryRows = new MemorySegment[streams.length];
            workers.forEach(streams.length, par, s -> {
                if (!used[s]) return;
                int width = plan.width(s);
                selected[s] = selection.select(streams[s], batch, tokens, width, mask, batchArena);
                checkFinite(s, streams[s], batch, tokens, width, mask, onlyToken0);
                summaryRows[s] = summary == selection ? selected[s]
                        : summary.select(streams[s], batch, tokens, width, mask, batchArena);
            });
            long rows = selection.rowCount(batch, tokens, mask);
            // Per-pair row sums go into fresh arrays, added in only once the whole batch has succeeded; they run
            // while the backend computes the Grams.
            List<StreamPair> pairs = plan.pairs();
            double[][] batchRowSums = new double[pairs.size()][2];
            double[][] batchSummarySums = new double[pairs.size()][2];
            BatchWorkers.Pending pairWork = workers.start(pairs.size(), par, p -> {
                int a = pairs.get(p).a();
                int b = pairs.get(p).b();
                if (plan.width(a) != plan.width(b)) return;
                RowKernels.addCosineAndSquaredDifference(selected[a], selected[b], rows, plan.width(a),
                        batchRowSums[p], simdKernels);
                RowKernels.addCosineAndSquaredDifference(summaryRows[a], summaryRows[b], batch, plan.width(a),
                        batchSummarySums[p], simdKernels);
            });
            try {
                if (!shifted && rows > 0) {
                    for (int g = 0; g < groups.size(); g++) takeShift(g, selected, rows);
                    shifted = true;
                }
                for (int g = 0; g < groups.size(); g++) {
                    addGroup(grams.get(g), groups.get(g), shifts[g], selected, rows, par);
                }
            } finally {
                pairWork.await();
            }
            for (int p = 0; p < pairs.size(); p++) {
                for (int k = 0; k < 2; k++) {
                    rowSums[p][k] += batchRowSums[p][k];
                    summarySums[p][k] += batchSummarySums[p][k];
                }
            }
            if (streamSquares != null) {
                for (int s = 0; s < streams.length; s++) {
                    if (used[s]) streamSquares[s] += RowKernels.sumOfSquares(selected[s], rows, plan.width(s));
                }
            }
            if (sampleCka != null) sampleCka.add(selected, rows);
        }
        samples += batch;
        rowsAdded += selection.rowCount(batch, tokens, mask);
        batches++;
    }

    /** The group's shift: the column means of this batch's selected rows, rounded to float32. */
    private void takeShift(int g, MemorySegment[] selected, long rows) {
        int off = 0;
        for (int s : groups.get(g)) {
            int width = plan.width(s);
            double[] sums = RowKernels.columnSums(selected[s], rows, width);
            for (int c = 0; c < width; c++) shifts[g][off + c] = (float) (sums[c] / rows);
            off += width;
        }
    }

    /**
     * Copies the group's streams side by side into the scratch buffer minus the shift, chunk by chunk, and adds each
     * chunk.
     */
    private void addGroup(GramAccumulator acc, int[] group, float[] shift, MemorySegment[] selected, long rows,
                          boolean parallel) {
        int cols = acc.cols();
        long chunkRows = Math.max(1, CHUNK_FLOATS / cols);
        long rowBytes = (long) cols * Float.BYTES;
        MemorySegment scratch = scratch(Math.min(chunkRows, rows) * rowBytes);
        long[] colOffsets = new long[group.length];
        for (int i = 1; i < group.length; i++) {
            colOffsets[i] = colOffsets[i - 1] + (long) plan.width(group[i - 1]) * Float.BYTES;
        }
        for (long first = 0; first < rows; first += chunkRows) {
            long n = Math.min(chunkRows, rows - first);
            long firstRow = first;
            // one task per stream: each writes its own column band of every row of the chunk
            workers.forEach(group.length, parallel, i -> {
                int s = group[i];
                int width = plan.width(s);
                long srcRowBytes = (long) width * Float.BYTES;
                int shiftOffset = (int) (colOffsets[i] / Float.BYTES);
                for (long r = 0; r < n; r++) {
                    RowKernels.copyMinus(selected[s], (firstRow + r) * srcRowBytes, scratch,
                            r * rowBytes + colOffsets[i], shift, shiftOffset, width, simdKernels);
                }
            });
            acc.add(scratch.asSlice(0, n * rowBytes), n);
        }
    }

    /** The scratch buffer, at least {@code bytes} long: the current one, or a larger one that replaces it. */
    private MemorySegment scratch(long bytes) {
        if (scratch.byteSize() < bytes) {
            Arena next = Arena.ofShared();
            // from the backend: page-locked for cuda, so the Grams upload it by DMA without another copy
            MemorySegment grown = backend.allocateHost(bytes, next);
            if (scratchArena != null) scratchArena.close();
            scratchArena = next;
            scratch = grown;
        }
        return scratch;
    }

    private void checkFinite(int stream, MemorySegment src, int batch, int tokens, int width, TokenMask mask,
                             boolean onlyToken0) {
        if (allFinite(src, batch, tokens, width, onlyToken0)) return;
        // something is not finite: find the first one in a used token (padding may hold anything)
        for (int sample = 0; sample < batch; sample++) {
            int lastToken = onlyToken0 ? 1 : tokens;
            for (int t = 0; t < lastToken; t++) {
                if (mask != null && !mask.isReal(sample, t)) continue;
                int col = RowKernels.firstNonFinite(src, (long) sample * tokens + t, width);
                if (col >= 0) {
                    throw new IllegalArgumentException("stream '" + plan.names().get(stream) + "' has NaN or Inf in "
                            + "batch " + batches + " (sample " + sample + ", token " + t + ", column " + col
                            + "): check the model and its inputs");
                }
            }
        }
    }

    /** One scan over the rows a batch may use (every token, or token 0 of each sample). */
    private static boolean allFinite(MemorySegment src, int batch, int tokens, int width, boolean onlyToken0) {
        long rowFloats = width;
        if (!onlyToken0) return RowKernels.allFinite(src, 0, (long) batch * tokens * rowFloats);
        for (int sample = 0; sample < batch; sample++) {
            if (!RowKernels.allFinite(src, (long) sample * tokens * rowFloats * Float.BYTES, rowFloats)) return false;
        }
        return true;
    }

    /** The statistics so far (a copy: accumulation may go on). */
    public StreamStatistics snapshot() {
        if (closed) throw new IllegalStateException("statistics accumulator is closed");
        double[][] c = new double[grams.size()][];
        double[][] g = new double[grams.size()][];
        double[][] s = new double[grams.size()][];
        for (int i = 0; i < grams.size(); i++) {
            c[i] = new double[shifts[i].length];
            for (int j = 0; j < c[i].length; j++) c[i][j] = shifts[i][j];
            g[i] = grams.get(i).gram();
            s[i] = grams.get(i).columnSums();
        }
        int pairs = rowSums.length;
        double[] cos = new double[pairs];
        double[] sq = new double[pairs];
        double[] sumCos = new double[pairs];
        double[] sumSq = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            boolean equal = plan.width(plan.pairs().get(p).a()) == plan.width(plan.pairs().get(p).b());
            cos[p] = equal ? rowSums[p][0] : Double.NaN;
            sq[p] = equal ? rowSums[p][1] : Double.NaN;
            sumCos[p] = equal ? summarySums[p][0] : Double.NaN;
            sumSq[p] = equal ? summarySums[p][1] : Double.NaN;
        }
        return new StreamStatistics(plan, rowsAdded, samples, c, g, s, cos, sq, sumCos, sumSq,
                StatisticsFingerprint.NONE, streamSquares == null ? null : streamSquares.clone(),
                sampleCka == null ? null : sampleCka.result(backend));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (GramAccumulator g : grams) g.close();
        workers.close();
        if (scratchArena != null) scratchArena.close();
    }
}
