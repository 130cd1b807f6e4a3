package dev.rba.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a batch of {@link InputTensor}s against a session's declared inputs (names, element types, ranks, fixed
 * dimensions, consistent symbolic dimensions) and wraps them as ORT tensors. Direct (off-heap) data is wrapped
 * without a copy; heap data is copied by ORT. It also records the size each symbolic dimension took in this batch,
 * so output shapes such as [batch, sequence, d] can be resolved before the run.
 */
final class InputBinder {
    private final Map<String, TensorInfo> declared = new LinkedHashMap<>();

    InputBinder(OrtSession session) {
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo ti)) {
                    throw new ModelRunException("model input '" + e.getKey() + "' is not a tensor (" + e.getValue().getInfo() + "); only tensor inputs are supported");
                }
                declared.put(e.getKey(), ti);
            }
        } catch (OrtException e) {
            throw new ModelRunException("cannot read the model's inputs: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    List<String> inputNames() {
        return List.copyOf(declared.keySet());
    }

    /** A batch wrapped for ORT; close it after the run. */
    static final class Bound implements AutoCloseable {
        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        /** Symbolic dimension name -> size in this batch. */
        final Map<String, Long> symbols = new HashMap<>();
        int count;

        @Override
        public void close() {
            for (OnnxTensor t : tensors.values()) t.close();
        }
    }

    Bound bind(List<InputTensor> batch, int count) {
        Map<String, InputTensor> given = new LinkedHashMap<>();
        for (InputTensor t : batch) {
            if (!declared.containsKey(t.name())) {
                throw new ModelRunException("input '" + t.name() + "' is not an input of the model; its inputs are " + declared.keySet());
            }
            given.put(t.name(), t);
        }
        Bound b = new Bound();
        b.count = count;
        try {
            for (Map.Entry<String, TensorInfo> e : declared.entrySet()) {
                String name = e.getKey();
                InputTensor t = given.get(name);
                if (t == null) {
                    throw new ModelRunException("input '" + name + "' is missing; the model takes " + declared.keySet() + "; give a tensor named '" + name + "'");
                }
                check(name, e.getValue(), t, count, b.symbols);
                b.tensors.put(name, wrap(t));
            }
        } catch (RuntimeException ex) {
            b.close();
            throw ex;
        }
        return b;
    }

    private static void check(String name, TensorInfo info, InputTensor t, int count, Map<String, Long> symbols) {
        long[] want = info.getShape();
        String[] names = info.getDimensionNames();
        long[] have = t.shape();
        if (info.type != t.type()) {
            throw new ModelRunException("input '" + name + "': expected element type " + info.type + ", given " + t.type());
        }
        boolean ok = want.length == have.length && have[0] == count;
        for (int i = 0; ok && i < want.length; i++) {
            if (want[i] >= 0 && want[i] != have[i]) ok = false;
            String sym = i < names.length ? names[i] : "";
            if (want[i] < 0 && sym != null && !sym.isEmpty()) {
                Long prev = symbols.putIfAbsent(sym, have[i]);
                if (prev != null && prev != have[i]) {
                    throw new ModelRunException("input '" + name + "': dimension '" + sym + "' is " + have[i] + " here but " + prev
                            + " in another input; give inputs of matching shapes");
                }
            }
        }
        if (!ok) {
            throw new ModelRunException("input '" + name + "': expected shape " + describe(want, names) + ", given " + describe(have, null)
                    + (have.length > 0 && have[0] != count ? " (batch of " + count + " samples)" : ""));
        }
    }

    private static OnnxTensor wrap(InputTensor t) {
        try {
            MemorySegment data = t.data();
            if (!data.isNative()) {
                // ORT wraps direct buffers in place but mishandles typed copies of heap ones: give it direct memory
                ByteBuffer direct = ByteBuffer.allocateDirect(Math.toIntExact(data.byteSize()));
                MemorySegment.ofBuffer(direct).copyFrom(data);
                data = MemorySegment.ofBuffer(direct);
            }
            var buf = data.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            return OnnxTensor.createTensor(OrtSessions.environment(), buf, t.shape(), t.type());
        } catch (OrtException e) {
            throw new ModelRunException("input '" + t.name() + "': ORT cannot wrap it: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** Shapes such as [batch,1,28,28]: symbolic dimensions by name, unknown ones as '?'. */
    static String describe(long[] dims, String[] names) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) s.append(',');
            if (dims[i] >= 0) s.append(dims[i]);
            else s.append(names != null && i < names.length && names[i] != null && !names[i].isEmpty() ? names[i] : "?");
        }
        return s.append(']').toString();
    }

    /** Resolves an output's declared shape for this batch; null when a dimension cannot be known before the run. */
    static long[] resolve(TensorInfo info, Bound batch) {
        long[] dims = info.getShape();
        String[] names = info.getDimensionNames();
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] >= 0) {
                out[i] = dims[i];
                continue;
            }
            String sym = i < names.length ? names[i] : null;
            Long v = sym == null || sym.isEmpty() ? null : batch.symbols.get(sym);
            if (v != null) out[i] = v;
            else if (i == 0) out[i] = batch.count;         // an anonymous leading dimension is the batch
            else return null;
        }
        return out;
    }
}
