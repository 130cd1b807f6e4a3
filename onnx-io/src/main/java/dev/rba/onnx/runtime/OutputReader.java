package dev.rba.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/** Reads ORT-allocated (non-pinned) outputs into float arrays, whatever their numeric element type. */
final class OutputReader {
    private OutputReader() {
    }

    static CapturedBatch.ModelOutput read(OrtSession.Result result, String name) {
        OnnxValue v = result.get(name).orElseThrow(() -> new ModelRunException("ORT returned no output '" + name + "'"));
        if (!(v instanceof OnnxTensor t)) throw new ModelRunException("output '" + name + "' is not a tensor; only tensor outputs are supported");
        long[] shape = t.getInfo().getShape();
        return new CapturedBatch.ModelOutput(shape, toFloats(t, name));
    }

    private static float[] toFloats(OnnxTensor t, String name) {
        int n = Math.toIntExact(t.getInfo().getNumElements());
        float[] out = new float[n];
        switch (t.getInfo().type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                FloatBuffer fb = t.getFloatBuffer();   // ORT widens float16 and bfloat16 to float here
                fb.get(out);
            }
            case DOUBLE -> {
                var db = t.getDoubleBuffer();
                for (int i = 0; i < n; i++) out[i] = (float) db.get(i);
            }
            case INT64 -> {
                var lb = t.getLongBuffer();
                for (int i = 0; i < n; i++) out[i] = lb.get(i);
            }
            case INT32 -> {
                var ib = t.getIntBuffer();
                for (int i = 0; i < n; i++) out[i] = ib.get(i);
            }
            default -> {
                ByteBuffer bb = t.getByteBuffer().order(ByteOrder.nativeOrder());
                if (t.getInfo().type.size != 1) throw new ModelRunException("output '" + name + "' has element type " + t.getInfo().type + ", which rba cannot read");
                for (int i = 0; i < n; i++) out[i] = bb.get(i);
            }
        }
        return out;
    }

    static OrtSession.Result run(OrtSession session, InputBinder.Bound bound, Set<String> requested,
                                 Map<String, ? extends OnnxValue> pinned) {
        try {
            return pinned.isEmpty() ? session.run(bound.tensors, requested) : session.run(bound.tensors, requested, pinned);
        } catch (OrtException e) {
            throw new ModelRunException("ONNX Runtime failed on a batch of " + bound.count + " samples: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }
}
