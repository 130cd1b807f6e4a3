package dev.rba.core;

import dev.rba.core.analysis.AnalysisOptions;
import dev.rba.core.analysis.RedundancyAnalysis;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.approx.Approximation;
import dev.rba.core.approx.ApproximationOptions;
import dev.rba.core.approx.Approximator;
import dev.rba.core.approx.HeldOutScore;
import dev.rba.core.approx.SavedModel;
import dev.rba.core.approx.SearchOptions;
import dev.rba.core.approx.SelectionGoal;
import dev.rba.core.approx.SelectionResult;
import dev.rba.core.approx.Span;
import dev.rba.core.approx.SpanSelection;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.ClassNames;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.eval.EvaluationOptions;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.Evaluator;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.LoadedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The embeddable entry point: one model, opened once, analysed, approximated and evaluated without the CLI.
 *
 * <pre>{@code
 * try (Rba rba = Rba.open(Path.of("vit.onnx"), Rba.Settings.defaults())) {
 *     RedundancyReport report = rba.analyze(Path.of("calibration/"), 500);
 *     Rba.Result result = rba.approximate(Path.of("calibration/"), List.of(Span.parse("4-5")), FitMethod.LINEAR,
 *             Path.of("vit-small.onnx"));
 *     EvaluationReport eval = rba.evaluate(result.saved().model(), Path.of("test/"), 2000);
 * }
 * }</pre>
 *
 * An instance owns the model file's mappings and the linear-algebra backend (which may hold GPU memory): close it.
 * It is not thread-safe; use one per thread or guard it.
 */
public final class Rba implements AutoCloseable {

    /**
     * Choices shared by every step.
     *
     * @param backend    auto, cuda, openblas or java (null: auto, or the system property rba.backend)
     * @param batchSize  samples per ONNX Runtime run (1 where the model fixes its batch at 1)
     * @param ortThreads ONNX Runtime intra-op threads, 0 for its default
     * @param split      "train" or "test" for IDX folders holding both, else null
     * @param seed       seed of the fit/check split
     */
    public record Settings(String backend, int batchSize, int ortThreads, String split, long seed) {
        public static Settings defaults() {
            return new Settings(null, 32, 0, null, 0);
        }

        public Settings withSplit(String s) {
            return new Settings(backend, batchSize, ortThreads, s, seed);
        }

        public Settings withBackend(String b) {
            return new Settings(b, batchSize, ortThreads, split, seed);
        }
    }

    /** What {@link #approximate} did: the fitted spans, the held-out check (null without one), and the saved file. */
    public record Result(Approximation approximation, HeldOutScore original, HeldOutScore approximated, SavedModel saved) {
    }

    private final LoadedModel model;
    private final BackendSelection selection;
    private final Backend backend;
    private final Settings settings;

    private Rba(LoadedModel model, BackendSelection selection, Settings settings) {
        this.model = model;
        this.selection = selection;
        this.backend = selection.backend();
        this.settings = settings;
    }

    /** Reads the model, finds its blocks and opens the backend. */
    public static Rba open(Path model, Settings settings) throws IOException {
        LoadedModel loaded = LoadedModel.open(model, List.of());
        try {
            return new Rba(loaded, Backends.open(settings.backend()), settings);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Number of blocks found (L); spans are written {@code i-j} with 0 <= i <= j < L. */
    public int blockCount() {
        return model.blockCount();
    }

    /** Which backend runs, and why the others did not. */
    public String backendSummary() {
        return selection.summary();
    }

    /** Opens calibration data for this model's inputs (folder of class folders, IDX file or folder, .npz). */
    public CalibrationData data(Path data) throws IOException {
        DataOptions options = new DataOptions(settings.split(), false, null, model.metadata(),
                ClassNames.ofModel(model.metadata(), model.path().toAbsolutePath().getParent()));
        return DataSources.open(data, model.inputSpecs(), options);
    }

    /** Block Redundancy for every span and the similarity matrices, over the first {@code samples} samples. */
    public RedundancyReport analyze(Path data, int samples) throws IOException {
        CalibrationData cd = data(data);
        int n = Math.min(samples, cd.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        CalibrationOptions options = CalibrationOptions.defaults().withBatchSize(settings.batchSize()).withRuntime(settings.ortThreads(), false)
                .withAllTokenGrams(false);
        CalibrationResult r = CalibrationPass.run(model, cd, idx, backend, options, null, null);
        return RedundancyAnalysis.analyze(r.fitStatistics(), r.similarityStatistics(), AnalysisOptions.all());
    }

    /** Replaces the given spans with fitted maps (500 fit samples, 500 held-out check samples) and saves to {@code out}. */
    public Result approximate(Path data, List<Span> spans, FitMethod method, Path out) throws IOException {
        Approximator.checkOutput(model, out, DataSources.inputFiles(data));
        CalibrationData cd = data(data);
        Approximator approx = new Approximator(model, cd, backend, options(method, cd), null);
        Approximation a = approx.approximate(approx.userSpans(spans));
        HeldOutScore original = approx.split().check().length > 0 ? approx.checkOriginal() : null;
        HeldOutScore score = original != null ? approx.check(a) : null;
        return new Result(a, original, score, approx.save(a, out, original, score));
    }

    /** Lets rba choose the spans (ranked by a predictor, checked in stages on held-out samples) and saves the best. */
    public Result approximate(Path data, SelectionGoal goal, FitMethod method, Path out) throws IOException {
        Approximator.checkOutput(model, out, DataSources.inputFiles(data));
        CalibrationData cd = data(data);
        Approximator approx = new Approximator(model, cd, backend, options(method, cd), null);
        SelectionResult chosen = SpanSelection.select(approx, goal, SearchOptions.defaults());
        if (!chosen.found()) {
            throw new IllegalArgumentException("no span set meets the goal (" + goal.describe() + "); relax it or give more data");
        }
        HeldOutScore original = chosen.original();
        HeldOutScore score = chosen.chosen().score();
        return new Result(chosen.approximation(), original, score, approx.save(chosen.approximation(), out, original, score));
    }

    /** Accuracy, agreement with this (original) model, size, MACs and latency of {@code approximated} on data. */
    public EvaluationReport evaluate(Path approximated, Path data, int limit) throws IOException {
        EvaluationOptions options = EvaluationOptions.defaults().withLimit(limit).withBatchSize(settings.batchSize());
        return Evaluator.evaluate(approximated, model.path(), data(data), options);
    }

    private ApproximationOptions options(FitMethod method, CalibrationData cd) {
        int fit = Math.min(ApproximationOptions.DEFAULT_FIT_SAMPLES, cd.size());
        int check = Math.max(0, Math.min(ApproximationOptions.DEFAULT_CHECK_SAMPLES, cd.size() - fit));
        return ApproximationOptions.defaults().withMethod(method).withSamples(fit, check).withBatchSize(settings.batchSize());
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            model.close();
        }
    }
}
