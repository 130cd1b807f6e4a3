package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto.DataType;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.OrtSessions;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns tensor shapes by running the model once in ONNX Runtime: the wanted tensors become extra graph outputs, every
 * input gets zeros (zeros are valid token ids and valid masks' shapes), and the output shapes are read back. Used
 * when the file carries no value_info shapes, as plain torch exports often do.
 */
final class OrtShapeProbe {
    private OrtShapeProbe() {
    }

    /**
     * Runs {@code model} with zero inputs of the given shapes and returns the shapes of {@code wanted} tensors
     * (by name); names ONNX Runtime does not return are absent. A {@code freedBatch} above 0 is a fixed batch the
     * model declares: axis 0 of its inputs, outputs and value_info of that size becomes symbolic in the probed copy,
     * so that the probe can run at a smaller batch than the model declares.
     */
    static Map<String, long[]> run(ModelProto model, Map<String, long[]> inputShapes, List<String> wanted, Path modelFolder,
                                   long freedBatch) throws OrtException {
        GraphProto.Builder g = model.getGraph().toBuilder();
        if (freedBatch > 0) {
            for (ValueInfoProto.Builder v : g.getInputBuilderList()) freeBatch(v, freedBatch);
            for (ValueInfoProto.Builder v : g.getOutputBuilderList()) freeBatch(v, freedBatch);
            for (ValueInfoProto.Builder v : g.getValueInfoBuilderList()) freeBatch(v, freedBatch);
        }
        Set<String> present = new HashSet<>();
        for (ValueInfoProto o : g.getOutputList()) present.add(o.getName());
        for (ValueInfoProto i : g.getInputList()) present.add(i.getName());
        for (String name : wanted) if (present.add(name)) g.addOutput(ValueInfoProto.newBuilder().setName(name));
        Map<String, TensorProto> weights = ProbeWeights.moveToInputs(g);
        Map<String, Integer> inputTypes = new HashMap<>();
        for (ValueInfoProto i : g.getInputList()) inputTypes.put(i.getName(), Types.elemType(i.getType()));
        ModelProto probe = model.toBuilder().setGraph(g).build();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        // the zeros outlive the tensors over them: the feeds are closed before the arena
        try (Arena zerosArena = Arena.ofConfined()) {
            try {
                return run(env, probe, inputShapes, inputTypes, weights, wanted, modelFolder, zerosArena, feeds);
            } finally {
                for (OnnxTensor t : feeds.values()) t.close();
            }
        }
    }

    private static Map<String, long[]> run(OrtEnvironment env, ModelProto probe, Map<String, long[]> inputShapes,
                                           Map<String, Integer> inputTypes, Map<String, TensorProto> weights,
                                           List<String> wanted, Path modelFolder, Arena zerosArena,
                                           Map<String, OnnxTensor> feeds) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            // a failed probe is expected (a model whose batch is baked in fails at batch 1 and is probed again at its
            // own batch) and reported in the discovery notes; ONNX Runtime's own log line on stderr only alarms
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (modelFolder != null) options.addConfigEntry(OrtSessions.EXTERNAL_FOLDER_KEY, modelFolder.toString());
            try (OrtSession session = OrtSessions.createSession(probe, options)) {
                for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
                    if (!session.getInputNames().contains(e.getKey())) continue;
                    feeds.put(e.getKey(), zeros(env, e.getKey(), inputTypes.getOrDefault(e.getKey(), 0), e.getValue()));
                }
                feedZeroWeights(env, weights, zerosArena, feeds);
                Map<String, long[]> shapes = new HashMap<>();
                List<String> asked = new ArrayList<>();
                for (String name : wanted) if (session.getOutputNames().contains(name)) asked.add(name);
                try (OrtSession.Result result = session.run(feeds, new HashSet<>(asked))) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        if (e.getValue() instanceof OnnxTensor t) shapes.put(e.getKey(), t.getInfo().getShape());
                    }
                }
                return shapes;
            }
        }
    }

    /**
     * Feeds every weight {@link ProbeWeights} moved to the inputs with zeros: one zeroed buffer as large as the
     * largest of them, which all of them read (ONNX Runtime does not write to its inputs).
     */
    private static void feedZeroWeights(OrtEnvironment env, Map<String, TensorProto> weights, Arena arena,
                                        Map<String, OnnxTensor> feeds) throws OrtException {
        if (weights.isEmpty()) return;
        long largest = 1;
        for (TensorProto t : weights.values()) largest = Math.max(largest, TensorShapes.rawByteSize(t));
        ByteBuffer zeros = arena.allocate(largest, 64).asByteBuffer();
        for (TensorProto t : weights.values()) {
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            ByteBuffer view = zeros.slice(0, (int) TensorShapes.rawByteSize(t)).order(ByteOrder.nativeOrder());
            feeds.put(t.getName(), OnnxTensor.createTensor(env, view, dims, javaType(t.getDataType())));
        }
    }

    private static OnnxJavaType javaType(int dataType) {
        return switch (DataType.forNumber(dataType)) {
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case null, default -> OnnxJavaType.FLOAT;
        };
    }

    private static void freeBatch(ValueInfoProto.Builder v, long batch) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) return;
        var shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        if (shape.getDimCount() > 0 && shape.getDim(0).hasDimValue() && shape.getDim(0).getDimValue() == batch) {
            shape.getDimBuilder(0).setDimParam("rba_probe_batch");
        }
    }

    private static OnnxTensor zeros(OrtEnvironment env, String name, int elemType, long[] shape) throws OrtException {
        long count = 1;
        for (long d : shape) count = Math.multiplyExact(count, d);
        if (count > Integer.MAX_VALUE / 8) {
            throw new BlockDiscoveryException("input '" + name + "' would need " + count + " elements for the shape probe; "
                    + "export the model with value_info shapes or give a smaller probe sequence length");
        }
        int n = (int) count;
        DataType dt = DataType.forNumber(elemType);
        if (dt == null) dt = DataType.FLOAT;
        return switch (dt) {
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.allocate(n), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.allocate(n), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.allocate(n), shape);
            case FLOAT16 -> OnnxTensor.createTensor(env, ShortBuffer.allocate(n), shape, OnnxJavaType.FLOAT16);
            case BFLOAT16 -> OnnxTensor.createTensor(env, ShortBuffer.allocate(n), shape, OnnxJavaType.BFLOAT16);
            case BOOL -> OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(n), shape, OnnxJavaType.BOOL);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(n), shape, OnnxJavaType.UINT8);
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(n), shape, OnnxJavaType.INT8);
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.allocate(n), shape);
            default -> throw new BlockDiscoveryException("input '" + name + "' has type " + dt.name().toLowerCase()
                    + ", which the shape probe cannot fill; export the model with value_info shapes");
        };
    }
}
