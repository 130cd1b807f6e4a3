package dev.rba.core.approx;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.linalg.Backend;
import dev.rba.core.pipeline.CalibrationInputs;
import dev.rba.core.stats.StatisticsAccumulator;
import dev.rba.core.stats.StatisticsPlan;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenMask;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.runtime.RuntimeOptions;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * One calibration pass: runs a model (the original, or one with spans already replaced) over chosen samples with
 * the plan's streams exposed, and accumulates their statistics batch by batch. Only the statistics stay; each
 * batch's activations live in the capture's off-heap buffers for the duration of one {@code add}.
 */
final class StatisticsPass {
    private StatisticsPass() {
    }

    /**
     * @param model      the model to run, in memory
     * @param dataFolder folder its external data resolves in (the original file's), or null
     * @param plan       stream names are tensor names of {@code model}
     */
    static StreamStatistics run(ModelProto model, Path dataFolder, ResidualShape shape, StatisticsPlan plan,
                                CalibrationData data, int[] samples, int batchSize, RuntimeOptions runtime,
                                Backend backend, String stage, ProgressListener progress) {
        CaptureOptions options = new CaptureOptions(batchSize, runtime, null);
        CalibrationInputs inputs = new CalibrationInputs(data, samples, batchSize);
        try (ActivationCapture capture = ActivationCapture.open(model, dataFolder, plan.names(), shape, options);
             StatisticsAccumulator acc = new StatisticsAccumulator(backend, plan)) {
            List<String> captured = capture.boundaryNames();
            int[] order = new int[plan.streamCount()];
            for (int s = 0; s < order.length; s++) order[s] = captured.indexOf(plan.names().get(s));
            long[] done = {0};
            progress.update(stage, 0, samples.length);
            capture.run(inputs, b -> {
                if (b.elementType() != OnnxJavaType.FLOAT) {
                    throw new IllegalArgumentException("the residual stream is " + b.elementType() + ", not float32: rba's "
                            + "statistics read float32 activations; export the model in float32");
                }
                MemorySegment[] streams = new MemorySegment[order.length];
                for (int s = 0; s < order.length; s++) streams[s] = b.h(order[s]);
                TokenMask mask = b.hasTokenMask() ? TokenMask.fromInt8Segment(b.count(), b.tokens(), b.tokenMask()) : null;
                acc.add(b.count(), b.tokens(), streams, mask);
                done[0] += b.count();
                progress.update(stage, done[0], samples.length);
            });
            return acc.snapshot();
        }
    }
}
