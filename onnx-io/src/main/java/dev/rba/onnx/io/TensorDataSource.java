package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Set;

/**
 * Supplies the raw little-endian bytes of the tensors of a model being written: inline data comes from the
 * TensorProto itself, external data from the files of the model it was loaded from ({@link OnnxModelFile}), and new
 * tensors may be supplied by name ({@link TensorDataSources#withOverrides}).
 */
public interface TensorDataSource {

    /** The tensor's raw bytes, exactly {@link TensorShapes#rawByteSize} long; valid while the source is open. */
    MemorySegment bytesOf(TensorProto tensor);

    /** Files this source reads from (a model and its data files), which a writer must never write over. */
    Set<Path> inputFiles();
}
