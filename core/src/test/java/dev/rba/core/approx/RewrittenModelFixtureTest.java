package dev.rba.core.approx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.fit.FitMethod;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.blocks.BlockStructure.OriginalBlocks;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model rba rewrote is found with its original block numbers (across the inserted MatMul, from the
 * {@code rba.approximation} record), and approximating it again gives what one approximation of both spans gives.
 * Approximating twice fits the second span on the activations of the model with the first span replaced, which is
 * exactly what {@code --sequential} does in one run: same fit samples, same float32 T of the first span.
 */
class RewrittenModelFixtureTest extends OnVitFixture {
    private static final int FIT = 64;
    private static final int BATCH = 32;

    private static Path approximate(OnnxLoadedModel m, boolean sequential, Path out, Span... spans) throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withMethod(FitMethod.LINEAR).withSamples(FIT, 0)
                .withBatchSize(BATCH).withSeed(3).withSequential(sequential).withRuntime(1, false);
        Approximator approx = new Approximator(m, data, backend, o, ProgressListener.NONE);
        return approx.save(approx.approximate(approx.userSpans(List.of(spans))), out, null, null).model();
    }

    private static float[] logits(Path file) throws Exception {
        int[] idx = new int[40];
        for (int i = 0; i < idx.length; i++) idx[i] = 100 + i;
        try (OnnxModelFile f = OnnxModelFile.read(file);
             ModelRunner r = ModelRunner.open(f, RuntimeOptions.defaults().withThreads(1))) {
            return r.collect(new CalibrationInputs(data, idx, 8), 8, List.of("logits")).get("logits");
        }
    }

    @Test
    void approximatingTwiceEqualsOneSequentialApproximationOfBothSpans(@TempDir Path dir) throws Exception {
        Path first = approximate(model, false, dir.resolve("first.onnx"), new Span(1, 2));
        Path twice;
        try (OnnxLoadedModel rewritten = OnnxLoadedModel.open(first, List.of())) {
            assertEquals(List.of(new OriginalBlocks(0, 0, false), new OriginalBlocks(1, 2, true),
                    new OriginalBlocks(3, 3, false), new OriginalBlocks(4, 4, false), new OriginalBlocks(5, 5, false),
                    new OriginalBlocks(6, 6, false), new OriginalBlocks(7, 7, false)), rewritten.blocks().numbering());
            assertEquals(8, rewritten.blocks().originalBlockCount());
            Approximator a = new Approximator(rewritten, data, backend, ApproximationOptions.defaults(), null);
            IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                    () -> a.userSpans(List.of(new Span(2, 3))));
            assertTrue(cut.getMessage().contains("cuts into blocks 1-2"), cut.getMessage());
            twice = approximate(rewritten, false, dir.resolve("twice.onnx"), new Span(5, 5));
        }
        try (OnnxLoadedModel again = OnnxLoadedModel.open(twice, List.of())) {
            List<OriginalBlocks> n = again.blocks().numbering();
            assertEquals(new OriginalBlocks(1, 2, true), n.get(1));
            assertEquals(new OriginalBlocks(5, 5, true), n.get(4));
            assertEquals(new OriginalBlocks(7, 7, false), n.getLast());
        }
        Path sequential = approximate(model, true, dir.resolve("sequential.onnx"), new Span(1, 2), new Span(5, 5));
        Path independent = approximate(model, false, dir.resolve("independent.onnx"), new Span(1, 2), new Span(5, 5));

        float[] viaTwice = logits(twice);
        float[] viaSequential = logits(sequential);
        float[] viaIndependent = logits(independent);
        double diff = 0;
        double other = 0;
        double norm = 0;
        for (int i = 0; i < viaTwice.length; i++) {
            diff = Math.max(diff, Math.abs(viaTwice[i] - viaSequential[i]));
            other = Math.max(other, Math.abs(viaIndependent[i] - viaSequential[i]));
            norm = Math.max(norm, Math.abs(viaSequential[i]));
        }
        // the same computation up to summation order in the statistics (threads, batches): float32 rounding only
        assertTrue(diff < 1e-4 * norm, "twice vs sequential: max logit difference " + diff + " of " + norm);
        // and the comparison can tell: fitting 5-5 on the original activations gives other logits
        assertTrue(other > 100 * diff, "independent fits differ by " + other + ", twice vs sequential by " + diff);
    }
}
