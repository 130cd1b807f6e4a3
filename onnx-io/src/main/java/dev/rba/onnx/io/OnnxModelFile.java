package dev.rba.onnx.io;

import com.google.protobuf.CodedInputStream;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model read from disk, with access to the bytes of every tensor, inline or in external data files.
 *
 * <p>The protobuf is parsed whole (ONNX keeps it under protobuf's 2 GB limit; bigger weights must be external),
 * except that large inline weights are left in the file ({@link WeightsLeftInFile}): in the proto they are
 * external-data tensors whose location is the model file itself, read like any external data. Such self-references
 * are not "external data" to callers ({@link #hasExternalData()}, {@link #dataFiles()}): the model is one file.
 * External data files are checked when the model is read (location inside the model's folder, file present, every
 * tensor's range inside it) and mapped lazily, read-only, once per file, into this object's {@link Arena}: tensor
 * bytes are slices of those mappings and never copied onto the heap, so weights beyond 2 GB work. The mappings,
 * and every {@link TensorBytes} of external data handed out, are valid until {@link #close()}; the
 * {@link ModelProto} stays valid after it.
 */
public final class OnnxModelFile implements AutoCloseable, TensorDataSource {
    /** ONNX graphs nest (If/Loop/Scan bodies); protobuf's default depth of 100 is too low for some exports. */
    private static final int RECURSION_LIMIT = 1000;

    private final Path path;
    private final Path folder;
    /** The folder the model file really is in (links followed): external data must stay inside it. */
    private final Path realFolder;
    /** The model file with links followed: the data file of the weights {@link WeightsLeftInFile} left in it. */
    private final Path realPath;
    private final ModelProto proto;
    /** Owns the data-file mappings; shared because captures read weights from several threads. */
    private final Arena arena = Arena.ofShared();
    private final Map<Path, Long> dataFileSizes;
    private final Map<Path, MemorySegment> mappings = new HashMap<>();

    private OnnxModelFile(Path path, Path realPath, ModelProto proto, Map<Path, Long> dataFileSizes) {
        this.path = path;
        this.folder = path.getParent();
        this.realPath = realPath;
        this.realFolder = realPath.getParent();
        this.proto = proto;
        this.dataFileSizes = dataFileSizes;
    }

    /**
     * Reads and checks a model. An empty, truncated, non-protobuf or non-ONNX file, a model ONNX Runtime could not
     * load for a reason {@link ModelChecker} knows (undefined inputs, cycles, unknown operators or types, tensor data
     * that does not match its dims, missing opset imports), or external data that is missing, outside the model's
     * folder or too short, is an {@link OnnxFormatException} naming the file.
     */
    public static OnnxModelFile read(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "model file not found; check the path");
        }
        if (!Files.isRegularFile(path)) {
            throw new OnnxFormatException("model " + path + " is not a regular file; give the path of a .onnx file");
        }
        long size = Files.size(path);
        if (size == 0) {
            throw new OnnxFormatException("model " + path + " is empty; re-export or re-download it");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new OnnxFormatException("model " + path + " is " + size + " bytes, over protobuf's 2 GB limit; "
                    + "it must be saved with external data");
        }
        ModelProto proto = WeightsLeftInFile.read(path, size, bytes -> parse(path, bytes));
        if (proto == null) proto = parse(path, Files.readAllBytes(path));
        ModelChecker.check(proto, path.toString());
        Path realPath = path.toRealPath();
        return new OnnxModelFile(path, realPath, proto, checkExternalData(path, realPath.getParent(), proto));
    }

    /** Parses {@code bytes} as a model's protobuf ({@code path} names it in errors); package-private for the fuzz test. */
    static ModelProto parse(Path path, byte[] bytes) {
        ModelProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(RECURSION_LIMIT);
            // raw_data fields then share `bytes` instead of copying every weight once more
            in.enableAliasing(true);
            proto = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException e) { // InvalidProtocolBufferException; a byte array has no other I/O failure
            throw new OnnxFormatException("model " + path + " is truncated or not an ONNX protobuf (" + oneLine(e)
                    + "); re-export or re-download it", e);
        }
        if (!proto.hasIrVersion() || !proto.hasGraph()) {
            throw new OnnxFormatException("model " + path + " is not an ONNX model (no " + (proto.hasIrVersion()
                    ? "graph" : "ir_version") + "); give the path of a .onnx file");
        }
        if (proto.getIrVersion() >= 3 && proto.getOpsetImportCount() == 0) {
            // serializers write opset_import (field 8) after the graph (7): a file cut between them parses cleanly
            throw new OnnxFormatException("model " + path + " has no opset_import (truncated or broken export); "
                    + "re-export or re-download it");
        }
        return proto;
    }

    /** The first sentence of protobuf's message, which explains; the rest speculates over several lines. */
    private static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage()).strip();
        int end = m.length();
        for (String stop : new String[] {"\n", ". "}) {
            int i = m.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        m = m.substring(0, end);
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    /** Checks every external reference up front, so that a broken model fails at load, not halfway through a run. */
    private static Map<Path, Long> checkExternalData(Path path, Path realFolder, ModelProto proto) {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        Path folder = path.getParent();
        ModelTensors.forEach(proto, t -> {
            if (!TensorShapes.isExternal(t)) {
                return;
            }
            ExternalDataRef ref = ExternalDataRef.of(t);
            Path file = dataFile(t, ref, folder, realFolder, path);
            Long fileSize = sizes.get(file);
            if (fileSize == null) {
                try {
                    fileSize = Files.size(file);
                } catch (IOException e) {
                    throw new OnnxFormatException("tensor '" + t.getName() + "': cannot read external data file "
                            + file + " (" + e.getMessage() + ")", e);
                }
                sizes.put(file, fileSize);
            }
            rangeIn(t, ref, file, fileSize);
        });
        return Collections.unmodifiableMap(sizes);
    }

    /**
     * The real path (links followed) of a tensor's data file. Like ONNX Runtime, the location is resolved in the
     * folder the model was named in; unlike a plain open, the result must be a regular file whose real path stays
     * inside the model file's real folder, so a link (or a linked folder) cannot make rba read, and copy into the
     * model it writes, a file from elsewhere on the machine.
     */
    private static Path dataFile(TensorProto t, ExternalDataRef ref, Path folder, Path realFolder, Path model) {
        Path file = ref.resolveIn(folder);
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new OnnxFormatException("tensor '" + t.getName() + "': external data file " + file
                    + " not found; put '" + ref.location() + "' beside the model " + model.getFileName(), e);
        }
        if (!real.startsWith(realFolder)) {
            throw new OnnxFormatException("tensor '" + t.getName() + "': external data location '" + ref.location()
                    + "' leads through a link to " + real + ", outside the model's folder " + realFolder
                    + "; put the data file itself beside the model");
        }
        if (!Files.isRegularFile(real)) {
            throw new OnnxFormatException("tensor '" + t.getName() + "': external data " + file
                    + " is not a regular file; put the data file beside the model " + model.getFileName());
        }
        return real;
    }

    /** The tensor's byte range [offset, offset+length) in its data file, checked against the file and its dims. */
    private static long[] rangeIn(TensorProto t, ExternalDataRef ref, Path file, long fileSize) {
        long expected = TensorShapes.rawByteSize(t);
        long length = ref.length() >= 0 ? ref.length() : fileSize - ref.offset();
        if (ref.length() >= 0 && length != expected) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has external length " + length
                    + " but its type and dims need " + expected + " bytes; re-export the model");
        }
        if (ref.offset() > fileSize || ref.offset() + expected > fileSize) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' needs bytes " + ref.offset() + ".."
                    + (ref.offset() + expected) + " of " + file + ", which has " + fileSize
                    + " bytes (truncated data file?); copy the data file again");
        }
        return new long[] {ref.offset(), expected};
    }

    /** The model file (absolute, normalized). */
    public Path path() {
        return path;
    }

    /** The folder external data locations are resolved against. */
    public Path folder() {
        return folder;
    }

    /** The parsed model. Immutable; stays valid after {@link #close()}. */
    public ModelProto proto() {
        return proto;
    }

    /** Whether any tensor of the model keeps its data in a file other than the model file. */
    public boolean hasExternalData() {
        return !dataFiles().isEmpty();
    }

    /** The external data files the model refers to, resolved and checked (not the model file itself). */
    public Set<Path> dataFiles() {
        Set<Path> files = new LinkedHashSet<>(dataFileSizes.keySet());
        files.remove(realPath);
        return Collections.unmodifiableSet(files);
    }

    @Override
    public Set<Path> inputFiles() {
        Set<Path> files = new LinkedHashSet<>();
        files.add(path);
        files.addAll(dataFiles());
        return Collections.unmodifiableSet(files);
    }

    /**
     * Raw bytes of a tensor of this model, or of a tensor derived from it whose external locations are relative to
     * this model's folder: a slice of the data file's mapping, or the protobuf's bytes.
     */
    @Override
    public MemorySegment bytesOf(TensorProto t) {
        if (!TensorShapes.isExternal(t)) {
            return InlineTensorData.bytesOf(t);
        }
        ExternalDataRef ref = ExternalDataRef.of(t);
        Path file = dataFile(t, ref, folder, realFolder, path);
        MemorySegment mapping = mapping(t, ref, file);
        long[] range = rangeIn(t, ref, file, mapping.byteSize());
        return mapping.asSlice(range[0], range[1]);
    }

    /** A tensor's bytes with its type and dims. */
    public TensorBytes tensor(TensorProto t) {
        return new TensorBytes(t.getName(), TensorShapes.dataType(t), dimsOf(t), bytesOf(t));
    }

    /** The main graph's initializer of that name; an IllegalArgumentException when there is none. */
    public TensorBytes initializer(String name) {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                return tensor(t);
            }
        }
        throw new IllegalArgumentException("model " + path.getFileName() + " has no initializer '" + name + "'");
    }

    /** All initializers of the main graph, in file order. */
    public List<TensorBytes> initializers() {
        List<TensorBytes> out = new ArrayList<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            out.add(tensor(t));
        }
        return out;
    }

    /** Number of elements over all initializers of the main graph (the model's parameter count). */
    public long parameterCount() {
        long n = 0;
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            n += TensorShapes.elementCount(t);
        }
        return n;
    }

    private static long[] dimsOf(TensorProto t) {
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
        }
        return dims;
    }

    private synchronized MemorySegment mapping(TensorProto t, ExternalDataRef ref, Path file) {
        MemorySegment m = mappings.get(file);
        if (m != null) {
            return m;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // the mapping outlives the channel; it is unmapped when the arena closes
            m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException("tensor '" + t.getName() + "': external data file " + file
                    + " not found; put '" + ref.location() + "' beside the model " + path.getFileName(), e);
        } catch (IOException e) {
            throw new OnnxFormatException("tensor '" + t.getName() + "': cannot map external data file " + file
                    + " (" + e.getMessage() + ")", e);
        }
        mappings.put(file, m);
        return m;
    }

    /** Unmaps the data files; segments from external tensors must not be used afterwards. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
