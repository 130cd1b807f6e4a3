package dev.rba.core.eval;

import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;

import java.nio.ByteBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Times models on one fixed batch. Every model gets the same warm-up and the same number of timed runs, and the
 * models take turns (A B, then B A, ...) so that machine noise — another process, frequency changes, a GC — falls on
 * all of them alike and neither always runs first.
 */
final class LatencyHarness {
    private final List<InputTensor> batch;
    private final int count;
    private final String output;

    /** {@code batch} must not change while timing: use {@link #copyOf} on loader batches, whose buffers may be reused. */
    LatencyHarness(List<InputTensor> batch, int count, String output) {
        this.batch = List.copyOf(batch);
        this.count = count;
        this.output = output;
    }

    /** A private copy of a batch in direct memory (which ORT reads in place, so no copy is timed). */
    static List<InputTensor> copyOf(List<InputTensor> tensors) {
        List<InputTensor> out = new ArrayList<>(tensors.size());
        for (InputTensor t : tensors) {
            MemorySegment copy = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(Math.toIntExact(t.data().byteSize())));
            copy.copyFrom(t.data());
            out.add(new InputTensor(t.name(), t.type(), t.shape(), copy));
        }
        return out;
    }

    /** Median, p90 and the rest per model, in the order given. */
    List<LatencyStats> measure(List<ModelRunner> runners, int warmup, int repeats, EvaluationProgress progress) {
        int m = runners.size();
        long total = (long) repeats * m;
        for (int w = 0; w < warmup; w++) {
            for (int k = 0; k < m; k++) runOnce(runners.get(turn(w, k, m)));
        }
        long[][] nanos = new long[m][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < m; k++) {
                int which = turn(r, k, m);
                nanos[which][r] = runOnce(runners.get(which));
            }
            progress.update("timing", (long) (r + 1) * m, total);
        }
        List<LatencyStats> out = new ArrayList<>(m);
        for (int k = 0; k < m; k++) out.add(LatencyStats.of(count, warmup, nanos[k]));
        return out;
    }

    /** Round r runs the models forwards when r is even and backwards when odd. */
    private static int turn(int round, int k, int m) {
        return round % 2 == 0 ? k : m - 1 - k;
    }

    private long runOnce(ModelRunner runner) {
        ModelInputs inputs = ModelInputs.of(batch.toArray(InputTensor[]::new));
        long t0 = System.nanoTime();
        runner.run(inputs, count, List.of(output), b -> { });
        return System.nanoTime() - t0;
    }
}
