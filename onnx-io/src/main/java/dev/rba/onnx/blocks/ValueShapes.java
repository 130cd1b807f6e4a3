package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import ai.onnxruntime.OrtException;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Concrete shapes of chosen values at a fixed batch: from the file's value_info where every dimension is known (a
 * symbolic batch dimension counts as known: it is the probe batch), otherwise from one {@link OrtShapeProbe} run,
 * at batch 1 whatever batch the model declares (a fixed batch is made symbolic for the probe), or at the declared
 * batch up to {@value #MAX_PROBE_BATCH} where the model only runs at its own batch.
 */
final class ValueShapes {
    /** The largest declared batch the probe runs at, where the model cannot run at batch 1 (its batch is baked in). */
    static final long MAX_PROBE_BATCH = 64;
    final Map<Value, long[]> dims = new IdentityHashMap<>();
    /** Samples in the batch the shapes describe (per-sample costs divide by it). */
    final long batch;
    /** Whether a model input has a symbolic length besides the batch (token counts then depend on the input). */
    final boolean dynamicLength;
    /** How the shapes were found, for the notes. */
    String source;
    /** Wall time of the ONNX Runtime probe runs (session creation and run), 0 when none ran. */
    long probeNanos;

    private ValueShapes(long batch, boolean dynamicLength) {
        this.batch = batch;
        this.dynamicLength = dynamicLength;
    }

    long[] of(Value v) {
        if (v != null && v.isInitializer()) return v.initializer().getDimsList().stream().mapToLong(Long::longValue).toArray();
        return dims.get(v);
    }

    static ValueShapes resolve(OnnxModel model, Collection<Value> wanted, DiscoveryOptions options) {
        Graph graph = model.graph();
        Set<String> batchSymbols = new HashSet<>();
        long batch = 1;
        boolean dynamic = false;
        Map<String, long[]> inputShapes = new LinkedHashMap<>();
        int sequence = options.probeSequenceLength();
        for (Value in : graph.inputs()) {
            if (in.isInitializer()) continue;
            TypeProto t = in.type();
            if (t == null || !t.hasTensorType() || !t.getTensorType().hasShape()) continue;
            List<TensorShapeProto.Dimension> ds = t.getTensorType().getShape().getDimList();
            long[] shape = new long[ds.size()];
            for (int i = 0; i < shape.length; i++) {
                TensorShapeProto.Dimension d = ds.get(i);
                if (d.hasDimValue() && d.getDimValue() > 0) {
                    shape[i] = d.getDimValue();
                } else if (i == 0) {
                    shape[i] = 1;
                    if (d.hasDimParam()) batchSymbols.add(d.getDimParam());
                } else {
                    shape[i] = sequence;
                    dynamic = true;
                }
            }
            if (shape.length > 0 && inputShapes.isEmpty()) batch = shape[0];
            inputShapes.put(in.name(), shape);
        }
        ValueShapes s = new ValueShapes(batch, dynamic);
        List<Value> missing = new ArrayList<>();
        for (Value v : wanted) {
            if (v == null || v.isInitializer()) continue;
            long[] declared = declared(v.type(), batchSymbols, batch);
            if (declared != null) s.dims.put(v, declared);
            else if (inputShapes.containsKey(v.name()) && graph.isGraphInput(v)) s.dims.put(v, inputShapes.get(v.name()));
            else missing.add(v);
        }
        if (missing.isEmpty()) {
            s.source = "shapes from the model's value_info";
            return s;
        }
        if (!options.allowProbe()) {
            s.source = missing.size() + " tensor shapes unknown (no value_info; the ONNX Runtime probe is turned off)";
            return s;
        }
        if (options.modelFolder() == null && usesExternalData(graph)) {
            s.source = missing.size() + " tensor shapes unknown: the model has external data and no model folder was given for the probe";
            return s;
        }
        if (batch > 1) {
            // the probe's cost grows with the batch (a declared 65,535 took seconds): shapes at batch 1 describe the
            // model as well, so every wanted shape is read from one run at batch 1, where the model allows it
            Map<String, long[]> ones = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
                long[] one = e.getValue().clone();
                if (one.length > 0 && one[0] == batch) one[0] = 1;
                ones.put(e.getKey(), one);
            }
            ValueShapes atOne = new ValueShapes(1, dynamic);
            List<Value> all = new ArrayList<>();
            for (Value v : wanted) {
                if (v == null || v.isInitializer()) continue;
                if (ones.containsKey(v.name()) && graph.isGraphInput(v)) atOne.dims.put(v, ones.get(v.name()));
                else all.add(v);
            }
            String failure = probe(atOne, model, ones, all, options, batch);
            s.probeNanos = atOne.probeNanos;
            if (failure == null) {
                atOne.source += " (the model declares batch " + batch + ")";
                return atOne;
            }
            if (batch > MAX_PROBE_BATCH) {
                s.source = failure + " (not probed at the model's own batch " + batch + ", over " + MAX_PROBE_BATCH + ")";
                return s;
            }
        }
        String failure = probe(s, model, inputShapes, missing, options, 0);
        if (failure != null) s.source = failure;
        return s;
    }

    /**
     * Fills {@code s} with the probed shapes of {@code missing}, and its source; returns null, or the failure's note.
     * {@code freedBatch}: see {@link OrtShapeProbe#run}.
     */
    private static String probe(ValueShapes s, OnnxModel model, Map<String, long[]> inputShapes, List<Value> missing,
                                DiscoveryOptions options, long freedBatch) {
        long batch = s.batch;
        String where = "batch " + batch + (s.dynamicLength ? ", sequence length " + options.probeSequenceLength() : "");
        List<String> names = new ArrayList<>();
        for (Value v : missing) names.add(v.name());
        long t0 = System.nanoTime();
        try {
            Map<String, long[]> probed = OrtShapeProbe.run(model.toProto(), inputShapes, names, options.modelFolder(), freedBatch);
            int found = 0;
            for (Value v : missing) {
                long[] d = probed.get(v.name());
                if (d != null) {
                    s.dims.put(v, d);
                    found++;
                }
            }
            s.source = "shapes from one ONNX Runtime run at " + where + " (" + missing.size()
                    + " tensors lacked value_info shapes; " + found + " read back)";
            return null;
        } catch (OrtException | RuntimeException e) {
            if (e instanceof BlockDiscoveryException bde && freedBatch == 0) throw bde;
            return "ONNX Runtime shape probe failed at " + where + ": " + oneLine(e.getMessage());
        } finally {
            s.probeNanos += System.nanoTime() - t0;
        }
    }

    private static long[] declared(TypeProto t, Set<String> batchSymbols, long batch) {
        if (t == null || !t.hasTensorType() || !t.getTensorType().hasShape()) return null;
        List<TensorShapeProto.Dimension> ds = t.getTensorType().getShape().getDimList();
        long[] out = new long[ds.size()];
        for (int i = 0; i < out.length; i++) {
            TensorShapeProto.Dimension d = ds.get(i);
            if (d.hasDimValue() && d.getDimValue() >= 0) out[i] = d.getDimValue();
            else if (i == 0 && d.hasDimParam() && batchSymbols.contains(d.getDimParam())) out[i] = batch;
            else return null;
        }
        return out;
    }

    private static boolean usesExternalData(Graph graph) {
        for (Value v : graph.initializers()) if (TensorShapes.isExternal(v.initializer())) return true;
        return false;
    }

    private static String oneLine(String s) {
        if (s == null) return "no message";
        String line = s.strip().replace('\n', ' ');
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
