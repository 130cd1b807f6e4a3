package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Ready-made {@link TensorDataSource}s. */
public final class TensorDataSources {
    private TensorDataSources() {
    }

    /** Only inline tensors (raw_data or typed fields); an EXTERNAL tensor is an error naming it. */
    public static TensorDataSource inlineOnly() {
        return new TensorDataSource() {
            @Override
            public MemorySegment bytesOf(TensorProto tensor) {
                if (TensorShapes.isExternal(tensor)) {
                    throw new OnnxFormatException("tensor '" + tensor.getName() + "' has external data but no model "
                            + "file was given to read it from; write with the OnnxModelFile it was loaded from");
                }
                return InlineTensorData.bytesOf(tensor);
            }

            @Override
            public Set<Path> inputFiles() {
                return Set.of();
            }
        };
    }

    /**
     * Tensors named in {@code byName} take their bytes from the given segments (e.g. a new [d,d] matrix computed
     * off-heap, declared in the model as a TensorProto with name, data_type and dims but no data); all others come
     * from {@code base}. Each segment must hold the tensor's raw little-endian bytes and outlive the write.
     */
    public static TensorDataSource withOverrides(Map<String, MemorySegment> byName, TensorDataSource base) {
        Map<String, MemorySegment> copy = Map.copyOf(byName);
        return new TensorDataSource() {
            @Override
            public MemorySegment bytesOf(TensorProto tensor) {
                MemorySegment s = copy.get(tensor.getName());
                if (s == null) {
                    return base.bytesOf(tensor);
                }
                if (TensorShapes.hasInlineData(tensor)) {
                    // one tensor, two sources of truth: the writer would pick one by size, so refuse instead
                    throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has inline data and was "
                            + "also given bytes by name; declare it with name, data_type and dims only");
                }
                long expected = TensorShapes.rawByteSize(tensor);
                if (s.byteSize() != expected) {
                    throw new IllegalArgumentException("tensor '" + tensor.getName() + "' was given " + s.byteSize()
                            + " bytes but its type and dims need " + expected);
                }
                return s;
            }

            @Override
            public Set<Path> inputFiles() {
                return base.inputFiles();
            }
        };
    }
}
