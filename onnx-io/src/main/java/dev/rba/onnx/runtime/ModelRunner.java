package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.proto.OnnxProto.ModelProto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a model (original or rewritten) batch by batch with ORT allocating the outputs, for evaluation and as the
 * baseline of the capture-overhead measurement. Outputs are read as float arrays.
 */
public final class ModelRunner implements AutoCloseable {
    private final OrtSession session;
    private final InputBinder binder;
    private final List<String> outputNames;

    /** One batch's outputs: the sample range and each output's shape and values. */
    public record BatchOutputs(long start, int count, Map<String, CapturedBatch.ModelOutput> outputs) {
    }

    private ModelRunner(OrtSession session) {
        this.session = session;
        this.binder = new InputBinder(session);
        try {
            this.outputNames = List.copyOf(session.getOutputInfo().keySet());
        } catch (OrtException e) {
            throw new ModelRunException("cannot read the model's outputs: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** A runner over a model held in memory; {@code dataFolder} is where its external data lives (or null). */
    public static ModelRunner open(ModelProto model, Path dataFolder, RuntimeOptions options) {
        return new ModelRunner(OrtSessions.open(model, dataFolder, options));
    }

    public static ModelRunner open(OnnxModelFile file, RuntimeOptions options) {
        return open(file.proto(), file.folder(), options);
    }

    public List<String> outputNames() {
        return outputNames;
    }

    public List<String> inputNames() {
        return binder.inputNames();
    }

    /** Input infos as ORT reports them (shapes with -1 for symbolic dimensions). */
    public Map<String, NodeInfo> inputInfo() {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new ModelRunException("cannot read the model's inputs: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** Output infos as ORT reports them (shapes with -1 for symbolic dimensions). */
    public Map<String, NodeInfo> outputInfo() {
        try {
            return session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelRunException("cannot read the model's outputs: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** Runs every batch and hands its outputs to {@code consumer}; returns the number of batches. */
    public long run(ModelInputs inputs, int batchSize, List<String> outputs, Consumer<BatchOutputs> consumer) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        Set<String> wanted = new LinkedHashSet<>(outputs == null ? outputNames : outputs);
        for (String o : wanted) {
            if (!outputNames.contains(o)) throw new IllegalArgumentException("'" + o + "' is not an output of the model; its outputs are " + outputNames);
        }
        long n = inputs.sampleCount();
        long batches = 0;
        for (long start = 0; start < n; start += batchSize) {
            int count = (int) Math.min(batchSize, n - start);
            try (InputBinder.Bound bound = binder.bind(inputs.batch(start, count), count);
                 OrtSession.Result result = OutputReader.run(session, bound, wanted, Map.of())) {
                Map<String, CapturedBatch.ModelOutput> outs = new LinkedHashMap<>();
                for (String name : wanted) outs.put(name, OutputReader.read(result, name));
                consumer.accept(new BatchOutputs(start, count, outs));
            }
            batches++;
        }
        return batches;
    }

    /** Runs every batch and concatenates each output along dimension 0 (flattened, row-major). */
    public Map<String, float[]> collect(ModelInputs inputs, int batchSize, List<String> outputs) {
        Map<String, List<float[]>> parts = new LinkedHashMap<>();
        run(inputs, batchSize, outputs, b -> b.outputs().forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v.values())));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<float[]>> e : parts.entrySet()) {
            int total = 0;
            for (float[] p : e.getValue()) total += p.length;
            float[] all = new float[total];
            int at = 0;
            for (float[] p : e.getValue()) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            out.put(e.getKey(), all);
        }
        return out;
    }

    @Override
    public void close() {
        OrtSessions.close(session);
    }
}
