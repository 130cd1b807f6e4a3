package dev.rba.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.OutputExposer.ExposedModel;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a model with its residual-stream tensors h_0..h_L exposed and hands every batch's activations to a consumer.
 *
 * <p>ORT writes each h_k straight into an off-heap segment: the segments are allocated in an {@link Arena} owned by
 * this object, wrapped as ORT tensors over their direct {@code ByteBuffer} views and passed as pinned outputs, so the
 * activations never pass through the Java heap. The buffers are sized for the largest batch seen (the configured
 * batch size up front when the token count is fixed), reused for every batch and freed by {@link #close()}; a longer
 * sequence than any before replaces them. The model's own outputs are small and are returned the ordinary way.
 * One capture runs one batch at a time; it is not meant to be shared between threads.
 */
public final class ActivationCapture implements AutoCloseable {
    private final OrtSession session;
    private final InputBinder binder;
    private final List<String> boundaryNames;
    private final Set<String> modelOutputs;
    private final Map<String, TensorInfo> boundaryInfo = new LinkedHashMap<>();
    private final CaptureOptions options;
    private final PaddingMask mask;
    private final String maskInput;
    /** Owns the h buffers and the token-mask buffer; replaced only when a batch needs more room. */
    private Arena buffers;
    private MemorySegment[] hBuffers;
    private MemorySegment maskBuffer;
    private long capacityElements;
    private long capacityRows;
    private int elementBytes;

    private ActivationCapture(OrtSession session, ExposedModel exposed, CaptureOptions options, PaddingMask mask) {
        this.session = session;
        this.options = options;
        this.binder = new InputBinder(session);
        this.boundaryNames = List.copyOf(exposed.exposed());
        this.modelOutputs = new LinkedHashSet<>(exposed.modelOutputs());
        this.modelOutputs.removeAll(boundaryNames);
        try {
            Map<String, NodeInfo> outs = session.getOutputInfo();
            for (String name : boundaryNames) {
                NodeInfo ni = outs.get(name);
                if (ni == null || !(ni.getInfo() instanceof TensorInfo ti)) {
                    throw new ModelRunException("exposed tensor '" + name + "' is not a tensor output of the session");
                }
                if (ti.getShape().length != 3) {
                    throw new ModelRunException("exposed tensor '" + name + "' has rank " + ti.getShape().length + " (" + ti
                            + "); a residual-stream tensor is [batch, tokens, d]");
                }
                boundaryInfo.put(name, ti);
            }
        } catch (OrtException e) {
            throw new ModelRunException("cannot read the exposed model's outputs: " + OrtSessions.firstLine(e.getMessage()), e);
        }
        this.mask = mask;
        this.maskInput = mask.input();
    }

    /**
     * Exposes {@code boundaries} in a copy of {@code model} and opens a session over it. {@code dataFolder} is the
     * folder of the model file (for external data), or null.
     */
    public static ActivationCapture open(ModelProto model, Path dataFolder, List<String> boundaries, ResidualShape shape, CaptureOptions options) {
        if (boundaries.isEmpty()) throw new IllegalArgumentException("no boundary tensors to capture; give the names of h_0..h_L");
        if (new HashSet<>(boundaries).size() != boundaries.size()) {
            throw new IllegalArgumentException("boundary tensors " + boundaries + " name one tensor twice; give each h_k once");
        }
        PaddingMask mask = options.maskInput() == null ? PaddingMask.find(model) : PaddingMask.given(model, options.maskInput());
        ExposedModel exposed = OutputExposer.expose(model, boundaries, shape);
        OrtSession session = OrtSessions.open(exposed.proto(), dataFolder, options.runtime());
        try {
            return new ActivationCapture(session, exposed, options, mask);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Same, for boundaries given as values of {@code model} (e.g. a block discovery's h_0..h_L). */
    public static ActivationCapture open(OnnxModel model, Path dataFolder, List<Value> boundaries,
                                         ResidualShape shape, CaptureOptions options) {
        List<String> names = new ArrayList<>();
        for (Value v : boundaries) names.add(v.name());
        return open(model.toProto(), dataFolder, names, shape, options);
    }

    /** Same, for a model read from disk (its external data resolved in its folder). */
    public static ActivationCapture open(OnnxModelFile file, List<String> boundaries, ResidualShape shape, CaptureOptions options) {
        return open(file.proto(), file.folder(), boundaries, shape, options);
    }

    public List<String> boundaryNames() {
        return boundaryNames;
    }

    /** The input whose zeros mark padding, or null when the model takes none. */
    public String maskInput() {
        return maskInput;
    }

    /** The padding mask used and how it was found, or why there is none. */
    public PaddingMask mask() {
        return mask;
    }

    /**
     * Runs all samples of {@code inputs} in batches of the configured size and calls {@code consumer} once per batch,
     * in order. Returns the number of batches. See {@link CapturedBatch} for how long its segments are valid.
     */
    public long run(ModelInputs inputs, Consumer<CapturedBatch> consumer) {
        long n = inputs.sampleCount();
        long batches = 0;
        for (long start = 0; start < n; start += options.batchSize()) {
            int count = (int) Math.min(options.batchSize(), n - start);
            runBatch(inputs, start, count, consumer);
            batches++;
        }
        return batches;
    }

    private void runBatch(ModelInputs inputs, long start, int count, Consumer<CapturedBatch> consumer) {
        List<InputTensor> batch = inputs.batch(start, count);
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        try (InputBinder.Bound bound = binder.bind(batch, count)) {
            long[] shape = boundaryShape(bound);
            int tokens = (int) shape[1];
            int d = (int) shape[2];
            OnnxJavaType type = boundaryInfo.values().iterator().next().type;
            ensureCapacity((long) count * tokens * d, type.size, (long) count * tokens);
            MemorySegment[] views = new MemorySegment[boundaryNames.size()];
            long bytes = (long) count * tokens * d * type.size;
            try {
                for (int k = 0; k < views.length; k++) {
                    views[k] = hBuffers[k].asSlice(0, bytes);
                    var buf = views[k].asByteBuffer().order(ByteOrder.nativeOrder());
                    pinned.put(boundaryNames.get(k), OnnxTensor.createTensor(OrtSessions.environment(), buf, shape, type));
                }
            } catch (OrtException e) {
                throw new ModelRunException("cannot create the capture buffers as ORT tensors: " + OrtSessions.firstLine(e.getMessage()), e);
            }
            MemorySegment mask = tokenMask(batch, count, tokens);
            try (OrtSession.Result result = OutputReader.run(session, bound, modelOutputs, pinned)) {
                Map<String, CapturedBatch.ModelOutput> outs = new LinkedHashMap<>();
                for (String name : modelOutputs) outs.put(name, OutputReader.read(result, name));
                CapturedBatch cb = new CapturedBatch(start, count, tokens, d, type, boundaryNames, views, outs, mask);
                try {
                    consumer.accept(cb);
                } finally {
                    cb.expire();
                }
            }
        } finally {
            for (OnnxTensor t : pinned.values()) t.close();
        }
    }

    /** [count, tokens, d], the same for every boundary (they are all residual-stream tensors of one model). */
    private long[] boundaryShape(InputBinder.Bound bound) {
        long[] first = null;
        String firstName = null;
        for (Map.Entry<String, TensorInfo> e : boundaryInfo.entrySet()) {
            long[] s = InputBinder.resolve(e.getValue(), bound);
            if (s == null) {
                throw new ModelRunException("cannot size the capture buffer of '" + e.getKey() + "' (declared "
                        + InputBinder.describe(e.getValue().getShape(), e.getValue().getDimensionNames())
                        + "): a dimension matches no input dimension; expose it with a fixed token count (ResidualShape tokens)");
            }
            if (first == null) {
                first = s;
                firstName = e.getKey();
            } else if (!Arrays.equals(first, s)) {
                throw new ModelRunException("boundary '" + e.getKey() + "' has shape " + Arrays.toString(s) + " but '" + firstName + "' has "
                        + Arrays.toString(first) + "; all captured boundaries must be [batch, tokens, d] of the same model width");
            }
            if (e.getValue().type != boundaryInfo.values().iterator().next().type) {
                throw new ModelRunException("boundary '" + e.getKey() + "' has element type " + e.getValue().type + ", unlike the others");
            }
        }
        return first;
    }

    private void ensureCapacity(long elements, int bytesPerElement, long rows) {
        if (hBuffers != null && elements <= capacityElements && rows <= capacityRows && bytesPerElement == elementBytes) return;
        long capacity = Math.max(elements, capacityElements);
        long maskRows = Math.max(rows, capacityRows);
        if (buffers != null) buffers.close();
        buffers = Arena.ofShared();
        hBuffers = new MemorySegment[boundaryNames.size()];
        for (int k = 0; k < hBuffers.length; k++) hBuffers[k] = buffers.allocate(capacity * bytesPerElement, 64);
        maskBuffer = buffers.allocate(Math.max(1, maskRows));
        capacityElements = capacity;
        capacityRows = maskRows;
        elementBytes = bytesPerElement;
    }

    private MemorySegment tokenMask(List<InputTensor> batch, int count, int tokens) {
        if (maskInput == null) return null;
        InputTensor m = null;
        for (InputTensor t : batch) if (t.name().equals(maskInput)) m = t;
        if (m == null) throw new ModelRunException("input '" + maskInput + "' (the attention mask) is missing from the batch");
        long[] s = m.shape();
        if (s.length != 2 || s[0] != count || s[1] != tokens) {
            throw new ModelRunException("input '" + maskInput + "': expected mask shape [" + count + "," + tokens + "] (one entry per token of the residual stream), given "
                    + Arrays.toString(s));
        }
        MemorySegment out = maskBuffer.asSlice(0, (long) count * tokens);
        for (long i = 0; i < (long) count * tokens; i++) out.set(ValueLayout.JAVA_BYTE, i, (byte) (m.longAt(i) != 0 ? 1 : 0));
        return out;
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** Closes the session and frees the buffers; segments of earlier batches must not be used afterwards. */
    @Override
    public void close() {
        try {
            OrtSessions.close(session);
        } finally {
            if (buffers != null) buffers.close();
            buffers = null;
        }
    }
}
