package dev.rba.core.approx;

import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.Ridge;
import dev.rba.core.stats.TokenSelection;

import java.nio.file.Path;

/**
 * How {@link Approximator} fits and checks.
 *
 * @param method        translator: linear (least squares, no bias: the paper's default), affine, orthogonal, identity
 * @param fitSamples    calibration samples whose tokens the fits see (the paper uses 500)
 * @param checkSamples  held-out samples the approximated models are scored on (0: no check); disjoint from the fit
 *                      samples
 * @param batchSize     samples per ONNX Runtime run (1 where the model fixes its batch at 1)
 * @param seed          seed of the fit/check split
 * @param sequential    fit each later span on the activations of the model with the earlier spans already replaced
 *                      (default false: every span on the original model's activations, as the paper does)
 * @param ortThreads    ONNX Runtime intra-op threads (0: its default)
 * @param cudaProvider  run the model with ONNX Runtime's CUDA execution provider (needs its GPU build)
 * @param summaryToken  token Block Redundancy reads: CLS (token 0), MEAN for models without a class token, or null to
 *                      decide from the model's token count
 * @param statsFile     statistics to reuse (read when the file exists, written after the pass when it does not); null
 *                      for none
 * @param ridge         ridge of the linear and affine fits ({@link Ridge}: none, a factor of the Gram's mean
 *                      eigenvalue, or auto from its condition number); null for none
 */
public record ApproximationOptions(FitMethod method, int fitSamples, int checkSamples, int batchSize, long seed,
                                   boolean sequential, int ortThreads, boolean cudaProvider,
                                   TokenSelection summaryToken, Path statsFile, Ridge ridge) {
    public static final int DEFAULT_FIT_SAMPLES = 500;
    public static final int DEFAULT_CHECK_SAMPLES = 500;

    public ApproximationOptions {
        if (method == null) method = FitMethod.LINEAR;
        if (ridge == null) ridge = Ridge.NONE;
        if (!ridge.none() && (method == FitMethod.ORTHOGONAL || method == FitMethod.IDENTITY)) {
            throw new IllegalArgumentException("--ridge applies to the linear and affine translators, not "
                    + method.label() + ": drop --ridge or use --translator linear|affine");
        }
        if (summaryToken == TokenSelection.ALL) {
            throw new IllegalArgumentException("the Block Redundancy token must be cls or mean, not all");
        }
        if (fitSamples <= 0) throw new IllegalArgumentException("--samples must be positive, got " + fitSamples);
        if (checkSamples < 0) throw new IllegalArgumentException("--check-samples must be 0 or more, got " + checkSamples);
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        if (ortThreads < 0) throw new IllegalArgumentException("--threads must be 0 (default) or positive, got " + ortThreads);
    }

    public static ApproximationOptions defaults() {
        return new ApproximationOptions(FitMethod.LINEAR, DEFAULT_FIT_SAMPLES, DEFAULT_CHECK_SAMPLES, 32, 0, false, 0, false,
                null, null, Ridge.NONE);
    }

    public ApproximationOptions withMethod(FitMethod m) {
        return new ApproximationOptions(m, fitSamples, checkSamples, batchSize, seed, sequential, ortThreads, cudaProvider, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withSamples(int fit, int check) {
        return new ApproximationOptions(method, fit, check, batchSize, seed, sequential, ortThreads, cudaProvider, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withSequential(boolean s) {
        return new ApproximationOptions(method, fitSamples, checkSamples, batchSize, seed, s, ortThreads, cudaProvider, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withBatchSize(int b) {
        return new ApproximationOptions(method, fitSamples, checkSamples, b, seed, sequential, ortThreads, cudaProvider, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withSeed(long s) {
        return new ApproximationOptions(method, fitSamples, checkSamples, batchSize, s, sequential, ortThreads, cudaProvider, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withRuntime(int threads, boolean cuda) {
        return new ApproximationOptions(method, fitSamples, checkSamples, batchSize, seed, sequential, threads, cuda, summaryToken, statsFile, ridge);
    }

    public ApproximationOptions withStatsFile(Path p) {
        return new ApproximationOptions(method, fitSamples, checkSamples, batchSize, seed, sequential, ortThreads, cudaProvider, summaryToken, p, ridge);
    }
}
