package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.SampleSplit;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.GramSpectra;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.linalg.Backend;
import dev.rba.core.pipeline.BatchSizing;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.onnx.CaptureTarget;
import dev.rba.core.onnx.CapturePass;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.pipeline.Fingerprints;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.StageTimes;
import dev.rba.core.pipeline.SummaryToken;
import dev.rba.core.stats.StatisticsFingerprint;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.api.OutputFile;
import dev.rba.onnx.io.WriteOptions;
import dev.rba.onnx.io.WriteResult;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.runtime.ModelRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;

/**
 * Redundant Blocks Approximation of one model: fits T for spans of blocks from calibration statistics, splices them
 * in, checks the result on held-out samples, and saves it.
 *
 * <p>The calibration samples are split once (seeded, {@link SampleSplit}) into fit samples, whose activations over
 * all tokens estimate the statistics and T, and check samples, on which approximated models are scored and which
 * no fit ever sees. By default every span is fitted on the original model's activations (as the paper does); with
 * {@code sequential} each later span is fitted on the activations of the model with the earlier spans already
 * replaced, so that T also corrects the error that reaches it.
 *
 * <p>Not thread-safe. The model, the data and the backend stay the caller's.
 */
public final class Approximator {
    private final OnnxLoadedModel model;
    private final CalibrationData data;
    private final Backend backend;
    private final ApproximationOptions options;
    private final ProgressListener progress;
    private final SampleSplit split;
    private final RuntimeOptions runtime;
    private final int[] widths;
    private final QualityMeasure quality;
    private final StageTimes times = new StageTimes();
    private StreamStatistics statistics;
    private HeldOutCheck check;
    /**
     * SHA-256 of the source model file for the record, computed on a thread of its own from construction on: it
     * overlaps the probes' and the calibration session's set-up, which keep one core busy (measured 0.9-2.1 s for a
     * 346 MB ViT-B when it ran after the fit).
     */
    private final FutureTask<String> sourceSha256;
    private SummaryToken.Choice summaryToken;
    /**
     * Fits of single spans on {@link #fitsFrom} (the original model's statistics): a selection's ranking fits every
     * span and its stages rebuild the same candidates; for a wide model one fit costs about as much as checking a
     * batch. Bounded by {@link #FIT_CACHE_BYTES} of T values; spans beyond it are fitted again when asked.
     */
    private final Map<Span, FitResult> fitCache = new HashMap<>();
    private StreamStatistics fitsFrom;
    private GramSpectra spectra;
    private long fitCacheBytes;
    static final long FIT_CACHE_BYTES = 256L << 20;

    public Approximator(LoadedModel model, CalibrationData data, Backend backend, ApproximationOptions options,
                        ProgressListener progress) {
        this(model, data, backend, options, progress, null);
    }

    /** @param quality how held-out outputs are compared, or null to detect it from the model's output */
    public Approximator(LoadedModel model, CalibrationData data, Backend backend, ApproximationOptions options,
                        ProgressListener progress, QualityMeasure quality) {
        this.quality = quality;
        this.model = OnnxLoadedModel.of(model);
        this.data = data;
        this.backend = backend;
        // every pass below (probe, calibration, held-out checks) runs at most the samples the model takes per run
        this.options = options.withBatchSize(BatchSizing.forModel(options.batchSize(), model));
        this.progress = progress == null ? ProgressListener.NONE : progress;
        if (model.blockCount() == 0) {
            throw new IllegalArgumentException("model " + model.path().getFileName() + " has no blocks rba can replace");
        }
        this.split = SampleSplit.seeded(data.size(), options.fitSamples(), options.checkSamples(), options.seed());
        this.runtime = RuntimeOptions.defaults().withThreads(options.ortThreads()).withCuda(options.cudaProvider());
        this.widths = boundaryWidths(this.model);
        Path source = this.model.path();
        this.sourceSha256 = new FutureTask<>(() -> Fingerprints.sha256(source));
        Thread.ofPlatform().daemon().name("rba-source-hash").start(sourceSha256);
    }

    public ApproximationOptions options() {
        return options;
    }

    /** Wall time of this approximator's stages so far (summary-token probe, calibration parts, fit, rewrite, checks, write). */
    public StageTimes times() {
        return times;
    }

    /** The fit and check samples (indices into the data). */
    public SampleSplit split() {
        return split;
    }

    public int blockCount() {
        return model.blockCount();
    }

    /** Names of h_0..h_L in the original model. */
    public List<String> boundaryNames() {
        return model.boundaryNames();
    }

    /** Block k's parameters (its weights; shared tensors count in each block that reads them). */
    public long blockParameters(int k) {
        return model.blocks().blocks().get(k).parameters();
    }

    /**
     * Spans as the user numbers blocks (the original model's numbers, also in a model rba rewrote), checked and as
     * spans of this model's blocks, in model order.
     */
    public List<Span> userSpans(List<Span> spans) {
        return checkSpans(numbering().toModel(spans));
    }

    /** How this model's blocks map to the numbers the user sees. */
    public BlockNumbering numbering() {
        return BlockNumbering.of(model.blocks());
    }

    /** Checks the spans (range, overlap, equal end widths) and returns them in model order. */
    public List<Span> checkSpans(List<Span> spans) {
        List<Span> sorted = Span.checked(spans, model.blockCount());
        for (Span s : sorted) {
            int a = widths[s.inputBoundary()];
            int b = widths[s.outputBoundary()];
            if (a > 0 && b > 0 && a != b) {
                throw new IllegalArgumentException("span " + s.label() + ": h_" + s.inputBoundary() + " has width " + a
                        + " but h_" + s.outputBoundary() + " has width " + b + "; a span must map the residual stream to "
                        + "itself (d x d): choose a span whose two ends have the same width");
            }
        }
        return sorted;
    }

    /**
     * Statistics over all tokens of the fit samples, covering at least the given (h_a, h_b) pairs; computed on first
     * need (one calibration pass), read from / written to the options' statistics file when one is set.
     */
    public StreamStatistics statistics(Collection<StreamPair> pairs) throws IOException {
        if (statistics != null && covers(statistics, pairs)) return statistics;
        Path file = options.statsFile();
        if (file != null && Files.exists(file)) {
            StreamStatistics loaded = StreamStatistics.load(file);
            checkLoaded(loaded, file, pairs);
            String stale = loaded.fingerprint().mismatch(fingerprint(), file.toString());
            if (stale != null) throw new IllegalArgumentException(stale);
            statistics = loaded;
            return statistics;
        }
        int longest = 1;
        for (StreamPair p : pairs) longest = Math.max(longest, Math.abs(p.b() - p.a()));
        // Only the wanted pairs (and so only their h_k) unless a statistics file is written: that one keeps every
        // span up to the longest, so that other spans of that length can be fitted from it later.
        CalibrationOptions calibration = file != null || pairs.isEmpty()
                ? calibrationOptions().withMaxSpan(longest) : calibrationOptions().withFitPairs(List.copyOf(pairs));
        var pass = CalibrationPass.run(model, data, split.fit(), backend, calibration, listener("calibration"), null);
        pass.timings().addTo(times, "calibration");
        statistics = pass.fitStatistics();
        if (file != null) {
            statistics = statistics.withFingerprint(fingerprint());
            statistics.save(file);
        }
        return statistics;
    }

    /** What statistics of this run are computed from: the model and the fit samples. */
    private StatisticsFingerprint fingerprint() throws IOException {
        return Fingerprints.of(model, data, split.fit(), options.batchSize());
    }

    /** Block Redundancy of each span (on the summary token), from the statistics. */
    public double blockRedundancy(StreamStatistics stats, Span span) {
        return dev.rba.core.stats.Metrics.blockRedundancy(stats, span.inputBoundary(), span.outputBoundary());
    }

    /** A predictor's value for one span (lower = less damage predicted), from the statistics. */
    public double predict(StreamStatistics stats, Span span, SpanPredictor predictor) {
        return predictor.value(stats, span.inputBoundary(), span.outputBoundary(), () -> fitOf(stats, span));
    }

    /** Span s fitted on {@code stats} with the run's translator and ridge, computed once while the cache has room. */
    private FitResult fitOf(StreamStatistics stats, Span s) {
        if (fitsFrom != stats) {
            fitCache.clear();
            fitCacheBytes = 0;
            fitsFrom = stats;
            spectra = new GramSpectra(stats, backend);
        }
        FitResult cached = fitCache.get(s);
        if (cached != null) return cached;
        FitResult fit = times.time("fit", () -> LinearFits.fit(stats, s.inputBoundary(), s.outputBoundary(),
                options.method(), options.ridge(), backend, spectra));
        long bytes = 8L * fit.t().length;
        if (fitCacheBytes + bytes <= FIT_CACHE_BYTES) {
            fitCache.put(s, fit);
            fitCacheBytes += bytes;
        }
        return fit;
    }

    /** The pair of boundaries a span's fit and Block Redundancy read. */
    public static StreamPair pairOf(Span s) {
        return new StreamPair(s.inputBoundary(), s.outputBoundary());
    }

    /** Fits every span and splices the fits into a copy of the model (which stays in memory). */
    public Approximation approximate(List<Span> spans) throws IOException {
        List<Span> sorted = checkSpans(spans);
        List<StreamPair> pairs = new ArrayList<>();
        for (Span s : sorted) pairs.add(pairOf(s));
        StreamStatistics original = statistics(pairs);
        List<SpanFit> fits = new ArrayList<>();
        for (Span s : sorted) {
            boolean refit = options.sequential() && !fits.isEmpty() && options.method() != FitMethod.IDENTITY;
            if (refit) {
                fits.add(fitOnApproximated(s, fits));
            } else {
                FitResult fit = checkedFit(fitOf(original, s), s);
                fits.add(new SpanFit(s, fit, original.samples(), original.rows(), false));
            }
        }
        RewrittenModel rewritten = times.time("rewrite", () -> RewrittenModel.build(model, fits, null));
        return new Approximation(rewritten, fits, options.method(), options.sequential());
    }

    /** Captures h_i and h_{j+1} of the model with the earlier spans replaced and fits span s on them. */
    private SpanFit fitOnApproximated(Span s, List<SpanFit> earlier) {
        RewrittenModel partial = RewrittenModel.build(model, earlier, null);
        String in = partial.boundaryNames().get(s.inputBoundary());
        String out = partial.boundaryNames().get(s.outputBoundary());
        CaptureTarget target = new CaptureTarget(partial.proto(), model.file().folder(), List.of(in, out),
                model.residualShape(), model.maskOption());
        var pass = CapturePass.run(target, data, split.fit(), backend, calibrationOptions(),
                listener("calibration for " + s.text() + " (sequential)"), null);
        pass.timings().addTo(times, "calibration");
        StreamStatistics stats = pass.fitStatistics();
        FitResult fit = checkedFit(times.time("fit", () -> LinearFits.fit(stats, 0, 1, options.method(), options.ridge(),
                backend)), s);
        return new SpanFit(s, fit, stats.samples(), stats.rows(), true);
    }

    private static FitResult checkedFit(FitResult fit, Span s) {
        for (double v : fit.t()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the fit of span " + s.label() + " gave a non-finite T: the "
                        + "calibration activations are degenerate; check the data or use --translator identity");
            }
        }
        return fit;
    }

    /** The original model on the held-out samples. */
    public HeldOutScore checkOriginal() {
        HeldOutCheck c = check();
        return times.time("check original", () -> c.original(model.file().proto()));
    }

    /** An approximated model on the held-out samples (the original runs first, once). */
    public HeldOutScore check(Approximation a) {
        return check(a, split.check().length);
    }

    /** An approximated model on the first {@code samples} held-out samples (a staged search's early look). */
    public HeldOutScore check(Approximation a, int samples) {
        checkOriginal();
        HeldOutCheck c = check();
        return times.time("check result", () -> c.score(a.proto(), "check: " + Span.text(a.spans()), samples));
    }

    /** How outputs are compared with the original's on the held-out samples (the original runs first, once). */
    OutputComparison comparison() {
        checkOriginal();
        return check().comparison();
    }

    /** Outputs of a model on a prefix of the held-out samples, and their score. */
    record Checked(float[] outputs, HeldOutScore score) {
    }

    /**
     * A candidate kept ready between a staged search's looks: its approximation and, while it is open, its ONNX
     * Runtime session (creating a session of a large model costs about as much as checking a batch).
     */
    final class Looks implements AutoCloseable {
        private final Approximation model;
        private ModelRunner runner;
        private Checked known;

        private Looks(Approximation model, Checked known) {
            this.model = model;
            this.known = known;
        }

        Approximation model() {
            return model;
        }

        /** The outputs and score on the first {@code samples} held-out samples, running only the new ones. */
        Checked upTo(int samples) {
            return upTo(samples, "check: " + Span.text(model.spans()));
        }

        /** {@link #upTo(int)}, its progress shown under {@code stage}. */
        Checked upTo(int samples, String stage) {
            checkOriginal();
            HeldOutCheck c = check();
            return times.time("check candidates", () -> {
                float[] have = known == null ? new float[0] : known.outputs();
                if (c.needsRun(have, samples) && runner == null) runner = c.open(model.proto());
                float[] y = c.extend(runner, stage, have, samples);
                known = new Checked(y, c.compare(y));
                return known;
            });
        }

        /** Ends the session (the outputs stay); a later look opens a new one. */
        @Override
        public void close() {
            if (runner != null) runner.close();
            runner = null;
        }
    }

    /** A candidate for a staged search, fitted now, with its outputs so far (or null); its session opens when needed. */
    Looks looks(List<Span> spans, Checked known) throws IOException {
        return new Looks(approximate(spans), known);
    }

    /** Bytes of the model's files (the model and its external data): what one copy of it costs to hold. */
    long modelBytes() throws IOException {
        long bytes = 0;
        for (Path p : model.file().inputFiles()) bytes += Files.size(p);
        return bytes;
    }

    private HeldOutCheck check() {
        if (split.check().length == 0) {
            throw new IllegalArgumentException("no held-out samples to check on: give --check-samples N (and data with "
                    + "more samples than --samples)");
        }
        if (check == null) {
            check = new HeldOutCheck(data, split.check(), options.batchSize(), runtime, model.file().folder(), progress,
                    quality, (int) model.blocks().d(), model.mask().input());
        }
        return check;
    }

    /**
     * Writes the approximated model with its {@code rba.approximation} record to {@code out} (temporary file then
     * rename; external data beside it when the source had external data). Never writes over the input model.
     *
     * @param original     the original's held-out score to record, or null
     * @param approximated the approximation's held-out score to record, or null
     */
    public SavedModel save(Approximation a, Path out, HeldOutScore original, HeldOutScore approximated) throws IOException {
        checkOutput(out);
        String sha = times.time("source hash", this::sourceSha256);
        String record = ApproximationRecord.json(a, model.boundaryNames(), numbering(),
                model.metadata().get(ApproximationRecord.KEY), model.path().getFileName().toString(), sha,
                data.description(), original, approximated);
        ModelProto proto = withMetadata(a.proto(), ApproximationRecord.KEY, record);
        WriteResult w = times.time("write", () -> OnnxModelWriter.write(proto, model.file(), out, WriteOptions.auto()));
        long bytes = w.modelBytes() + (w.dataFile() == null ? 0 : w.externalBytes());
        return new SavedModel(w.model(), w.dataFile(), bytes, record);
    }

    /** Refuses an output that is the input model, one of its data files or the statistics file, before any work. */
    public void checkOutput(Path out) throws IOException {
        checkOutput(model, out, options.statsFile() == null ? List.of() : List.of(options.statsFile()));
    }

    /**
     * Refuses, by {@link OutputFile}'s policy, an output model (or its external data file beside it) that is
     * {@code model}'s file, one of its data files or one of {@code otherInputs} (calibration data, statistics), that
     * is not a regular file, or whose folder is missing or not writable.
     */
    public static void checkOutput(LoadedModel model, Path out, Collection<Path> otherInputs) throws IOException {
        List<Path> inputs = new ArrayList<>(model.inputFiles());
        inputs.addAll(otherInputs);
        Path target = OutputFile.check(out, "output", inputs);
        OutputFile.check(target.resolveSibling(target.getFileName() + ".data"), "output data file", inputs);
    }

    private static ModelProto withMetadata(ModelProto proto, String key, String value) {
        ModelProto.Builder b = proto.toBuilder();
        for (int i = b.getMetadataPropsCount() - 1; i >= 0; i--) {
            if (b.getMetadataProps(i).getKey().equals(key)) b.removeMetadataProps(i);
        }
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return b.build();
    }

    private String sourceSha256() throws IOException {
        try {
            return sourceSha256.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing " + model.path(), e);
        }
    }

    /** The token Block Redundancy reads and why: the options' choice, else decided from h_0 of the fit samples. */
    public SummaryToken.Choice summaryToken() {
        if (summaryToken == null) {
            summaryToken = options.summaryToken() != null ? SummaryToken.given(options.summaryToken())
                    : times.time("summary-token probe",
                            () -> SummaryToken.fromData(model, data, split.fit(), runtime, model.maskOption()));
        }
        return summaryToken;
    }

    /** The summary token once a calibration pass has decided it; null while none has run (e.g. statistics from a file). */
    public SummaryToken.Choice decidedSummaryToken() {
        return summaryToken;
    }

    private CalibrationOptions calibrationOptions() {
        TokenSelection summary = summaryToken().token();
        return new CalibrationOptions(options.batchSize(), options.ortThreads(), options.cudaProvider(), summary,
                TokenSelection.ALL, 0);
    }

    private LongConsumer listener(String stage) {
        int total = split.fit().length;
        progress.update(stage, 0, total);
        return done -> progress.update(stage, done, total);
    }

    private static boolean covers(StreamStatistics s, Collection<StreamPair> pairs) {
        // per-pair sums (BR, identity residual) exist only for listed pairs, even with a joint Gram
        for (StreamPair p : pairs) if (!s.hasRowSums(p.a(), p.b())) return false;
        return true;
    }

    private void checkLoaded(StreamStatistics s, Path file, Collection<StreamPair> pairs) {
        if (!s.names().equals(model.boundaryNames())) {
            throw new IllegalArgumentException("statistics file " + file + " holds streams " + s.names() + ", not this "
                    + "model's h_0..h_L " + model.boundaryNames() + ": give statistics of this model, or a new file name");
        }
        if (s.plan().selection() != TokenSelection.ALL) {
            throw new IllegalArgumentException("statistics file " + file + " was taken over " + s.plan().selection()
                    + " tokens; fits need all tokens: give a new file name to recompute");
        }
        if (!covers(s, pairs)) {
            throw new IllegalArgumentException("statistics file " + file + " lacks a pair of boundaries these spans need: "
                    + "give a new file name to recompute");
        }
    }

    /** Widths of h_0..h_L from their declared types (-1 where unknown). */
    private static int[] boundaryWidths(OnnxLoadedModel model) {
        List<Value> bs = model.blocks().boundaries();
        int[] w = new int[bs.size()];
        for (int k = 0; k < w.length; k++) {
            long[] dims = Types.dims(bs.get(k).type());
            w[k] = dims != null && dims.length > 0 && dims[dims.length - 1] > 0 ? (int) dims[dims.length - 1] : -1;
            if (w[k] < 0 && model.blocks().d() > 0) w[k] = (int) model.blocks().d();
        }
        return w;
    }
}
