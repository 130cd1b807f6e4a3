package dev.rba.onnx.io;

import com.google.protobuf.ByteString;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Builds TensorProtos for tensors created in memory (e.g. a fitted [d,d] matrix T). */
public final class TensorProtos {
    private TensorProtos() {
    }

    /** A float32 tensor with its values inline as little-endian raw_data. */
    public static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto t = declare(name, TensorDataType.FLOAT, dims);
        if (TensorShapes.elementCount(t) != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + values.length
                    + " values but its dims need " + TensorShapes.elementCount(t));
        }
        MemorySegment raw = MemorySegment.ofArray(new byte[4 * values.length]);
        MemorySegment.copy(values, 0, raw, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                values.length);
        return t.toBuilder().setRawData(ByteString.copyFrom(raw.asByteBuffer())).build();
    }

    /**
     * A tensor with name, type and dims but no data: its bytes are given to the writer by name with
     * {@link TensorDataSources#withOverrides}, so big tensors computed off-heap are never copied onto the heap.
     */
    public static TensorProto declare(String name, TensorDataType type, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.code());
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' cannot have negative dimension " + d);
            }
            b.addDims(d);
        }
        return b.build();
    }
}
