package dev.rba.onnx.io;
import dev.rba.onnx.api.OutputFile;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Saves a model with its tensor data, inline or in one external data file, each file written to a temporary name
 * and renamed into place. It refuses to write over any file its data source reads from.
 *
 * <p>Tensors whose data is inside the protobuf stay exactly as they are unless the policy moves them to the data
 * file; the source is asked for the bytes of EXTERNAL tensors, of tensors declared without data, and of tensors
 * that move. So a model saved INLINE without changes is byte-identical to its input (for inputs written by a
 * protobuf serializer in field-number order), unknown fields included.
 */
public final class OnnxModelWriter {
    /** External tensors start at multiples of this (aligned SIMD loads straight from the mapping). */
    static final long ALIGNMENT = 64;
    /** Large tensors start on a page, so a reader can map them on their own. */
    static final long LARGE_ALIGNMENT = 4096;
    static final long LARGE_TENSOR = 1 << 20;
    /** Largest protobuf message: lengths are signed 32-bit. */
    static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    private static final long NATIVE_CHUNK = 64L << 20;
    /** Heap buffers pass through a temporary direct buffer of the same size inside FileChannel: keep them small. */
    private static final long HEAP_CHUNK = 8L << 20;

    private OnnxModelWriter() {
    }

    /** Saves a model loaded with {@link OnnxModelFile#read} (possibly changed) with its own data. */
    public static WriteResult write(OnnxModelFile model, Path out, WriteOptions options) throws IOException {
        return write(model.proto(), model, out, options);
    }

    /** Saves a model whose tensors are all inline, with every tensor inline. */
    public static WriteResult write(ModelProto model, Path out) throws IOException {
        return write(model, TensorDataSources.inlineOnly(), out, WriteOptions.inline());
    }

    /**
     * Saves {@code model} to {@code out}, taking tensor bytes from {@code data}. Under EXTERNAL (or AUTO choosing
     * it), tensors of at least {@code options.externalThreshold()} bytes go to {@code <out file name>.data} beside
     * {@code out}, at aligned offsets, copied from the source segments by the file channel (no heap copy of mapped
     * tensors).
     *
     * @throws IllegalArgumentException when {@code out} or its data file is one of the source's input files, or
     *                                  the output folder does not exist
     * @throws OnnxFormatException      when an INLINE model would pass 2 GB, or a tensor's data is missing
     */
    public static WriteResult write(ModelProto model, TensorDataSource data, Path out, WriteOptions options)
            throws IOException {
        Path target = OutputFile.check(out, "output", data.inputFiles());
        Path dataTarget = OutputFile.check(target.resolveSibling(target.getFileName() + ".data"), "output data file",
                data.inputFiles());

        long[] totals = new long[2]; // [0] = raw bytes of all tensors, [1] = 1 when any tensor is EXTERNAL
        ModelTensors.forEach(model, t -> {
            TensorDataType type = TensorShapes.dataType(t);
            if (type.hasRawForm()) {
                totals[0] += type.byteSize(TensorShapes.elementCount(t));
            }
            if (TensorShapes.isExternal(t)) {
                totals[1] = 1;
            }
        });
        boolean external = switch (options.policy()) {
            case INLINE -> false;
            case EXTERNAL -> true;
            // a model file's own large weights are external-data tensors in its proto (WeightsLeftInFile): it counts
            // as external only when it has a data file of its own
            case AUTO -> (data instanceof OnnxModelFile f ? f.hasExternalData() : totals[1] == 1)
                    || totals[0] > options.autoExternalAbove();
        };
        try {
            return external
                    ? writeExternal(model, data, target, dataTarget, options.externalThreshold())
                    : writeInline(model, data, target, totals[0]);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether the writer must ask the source for this tensor's bytes (they are not in the proto). */
    private static boolean needsSource(TensorProto t) {
        if (TensorShapes.isExternal(t)) {
            return true;
        }
        return !TensorShapes.hasInlineData(t) && TensorShapes.dataType(t).hasRawForm()
                && TensorShapes.rawByteSize(t) > 0;
    }

    private static WriteResult writeInline(ModelProto model, TensorDataSource data, Path target, long tensorBytes)
            throws IOException {
        int protoSize = model.getSerializedSize();
        long[] sum = new long[1];
        ModelTensors.forEach(model, t -> {
            if (needsSource(t)) {
                sum[0] += TensorShapes.rawByteSize(t);
            }
        });
        long fromSource = sum[0];
        // a negative size means the int overflowed: the in-memory model alone already passes the limit
        if (protoSize < 0 || protoSize + fromSource > PROTOBUF_LIMIT) {
            throw new OnnxFormatException("model " + target.getFileName() + " would need about "
                    + (protoSize < 0 ? tensorBytes : protoSize + fromSource) + " bytes inline, over protobuf's 2 GB"
                    + " limit; save it with external data (EXTERNAL or AUTO)");
        }
        ModelProto inlined = ModelTensors.map(model, t -> {
            if (!needsSource(t)) {
                return t;
            }
            MemorySegment bytes = checkedBytes(data, t);
            // wraps the segment's buffer: the bytes are copied once, by the serializer, straight into the file
            return clearData(t.toBuilder())
                    .setRawData(UnsafeByteOperations.unsafeWrap(bytes.asByteBuffer()))
                    .build();
        });
        try (OutputFile file = OutputFile.create(target, "output")) {
            long modelBytes = writeProto(inlined, file);
            file.commit();
            return new WriteResult(target, null, 0, 0, modelBytes);
        }
    }

    private static WriteResult writeExternal(ModelProto model, TensorDataSource data, Path target, Path dataTarget,
                                             long threshold) throws IOException {
        int[] count = new int[1];
        long[] end = new long[1];
        String location = dataTarget.getFileName().toString();
        try (OutputFile dataFile = OutputFile.create(dataTarget, "output data file");
             OutputFile modelFile = OutputFile.create(target, "output")) {
            FileChannel ch = dataFile.channel();
            ModelProto mapped = ModelTensors.map(model, t -> {
                TensorDataType type = TensorShapes.dataType(t);
                if (!type.hasRawForm()) {
                    return t; // STRING tensors cannot be external in ONNX
                }
                long size = TensorShapes.rawByteSize(t);
                boolean fromSource = needsSource(t);
                if (size == 0 || size < threshold) {
                    if (!fromSource) {
                        return t;
                    }
                    return clearData(t.toBuilder())
                            .setRawData(UnsafeByteOperations.unsafeWrap(checkedBytes(data, t).asByteBuffer()))
                            .build();
                }
                MemorySegment bytes = fromSource ? checkedBytes(data, t) : InlineTensorData.bytesOf(t);
                long offset = align(end[0], size >= LARGE_TENSOR ? LARGE_ALIGNMENT : ALIGNMENT);
                writeFully(ch, bytes, offset);
                end[0] = offset + size;
                count[0]++;
                return clearData(t.toBuilder())
                        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location))
                        .addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Long.toString(size)))
                        .build();
            });
            long modelBytes = writeProto(mapped, modelFile);
            // both files are complete before either is renamed: the data first, as the new model refers to it
            if (count[0] > 0) {
                dataFile.commit();
            }
            modelFile.commit();
            return new WriteResult(target, count[0] > 0 ? dataTarget : null, count[0], end[0], modelBytes);
        }
    }

    private static MemorySegment checkedBytes(TensorDataSource data, TensorProto t) {
        MemorySegment bytes = data.bytesOf(t);
        long expected = TensorShapes.rawByteSize(t);
        if (bytes.byteSize() != expected) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has " + bytes.byteSize()
                    + " bytes of data but its type and dims need " + expected);
        }
        return bytes;
    }

    private static TensorProto.Builder clearData(TensorProto.Builder b) {
        return b.clearRawData().clearFloatData().clearInt32Data().clearInt64Data().clearDoubleData()
                .clearUint64Data().clearExternalData().clearDataLocation();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    static long align(long offset, long alignment) {
        return Math.ceilDiv(offset, alignment) * alignment;
    }

    /** Copies a segment into the file at {@code offset} through the channel, in chunks (segments may pass 2 GB). */
    private static void writeFully(FileChannel ch, MemorySegment bytes, long offset) {
        long chunk = bytes.isNative() ? NATIVE_CHUNK : HEAP_CHUNK;
        try {
            for (long done = 0; done < bytes.byteSize(); ) {
                long n = Math.min(chunk, bytes.byteSize() - done);
                ByteBuffer buf = bytes.asSlice(done, n).asByteBuffer();
                while (buf.hasRemaining()) {
                    done += ch.write(buf, offset + done);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serializes the model into the (not yet renamed) file and returns its size. */
    private static long writeProto(ModelProto model, OutputFile file) throws IOException {
        OutputStream os = Channels.newOutputStream(file.channel());
        CodedOutputStream cos = CodedOutputStream.newInstance(os, 1 << 16);
        model.writeTo(cos);
        cos.flush();
        return file.channel().size();
    }
}
