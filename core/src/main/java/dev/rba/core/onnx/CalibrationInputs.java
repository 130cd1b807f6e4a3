package dev.rba.core.onnx;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataBatch;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.Tensor;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Feeds chosen samples of a {@link CalibrationData} to ONNX Runtime as {@link ModelInputs}. Loaders decode images
 * batch by batch and in order, so the runner must ask for consecutive batches of the size given here (the capture
 * and the runner both do); labels and sample indices of every batch served are kept for evaluation.
 */
public final class CalibrationInputs implements ModelInputs {
    private final CalibrationData data;
    private final int[] samples;
    private final int batchSize;
    private final int[] labels;
    private Iterator<DataBatch> batches;
    private long next;

    public CalibrationInputs(CalibrationData data, int[] samples, int batchSize) {
        if (samples.length == 0) throw new IllegalArgumentException("no calibration samples selected; give more data or a larger --samples");
        this.data = data;
        this.samples = samples.clone();
        this.batchSize = batchSize;
        this.labels = data.hasLabels() ? new int[samples.length] : null;
    }

    /** Samples 0..count-1 of the data, in order. */
    public static CalibrationInputs first(CalibrationData data, int count, int batchSize) {
        int n = Math.min(count, data.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return new CalibrationInputs(data, idx, batchSize);
    }

    @Override
    public long sampleCount() {
        return samples.length;
    }

    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<InputTensor> batch(long start, int count) {
        if (start == 0) {
            batches = data.batches(batchSize, samples).iterator();
            next = 0;
        }
        if (start != next || batches == null || !batches.hasNext()) {
            throw new IllegalStateException("calibration batches must be read in order from 0 (asked for " + start + ", next is " + next + ")");
        }
        DataBatch b = batches.next();
        if (b.size() != count) {
            throw new IllegalStateException("batch at " + start + " has " + b.size() + " samples, the runner asked for " + count
                    + " (use the same batch size for the data and the runner)");
        }
        if (labels != null && b.labels() != null) System.arraycopy(b.labels(), 0, labels, (int) start, count);
        next = start + count;
        List<InputTensor> out = new ArrayList<>(b.inputs().size());
        for (Tensor t : b.inputs().values()) out.add(new InputTensor(t.name(), onnxType(t.type()), t.shape(), t.segment()));
        return out;
    }

    /** Labels of the samples served so far, in sample order (null when the data has none). */
    public int[] labels() {
        return labels == null ? null : Arrays.copyOf(labels, (int) next);
    }

    static OnnxJavaType onnxType(ElementType t) {
        return switch (t) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case FLOAT64 -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException("element type " + t.typeName() + " is not supported by ONNX Runtime's Java API; convert the data to a signed type");
        };
    }
}
