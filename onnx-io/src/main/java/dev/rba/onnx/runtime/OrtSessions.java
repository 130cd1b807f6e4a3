package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedOutputStream;
import dev.rba.onnx.proto.OnnxProto.ModelProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Opens ONNX Runtime sessions over models held in memory. A modified copy of a model (exposed outputs, rewritten
 * spans) is never written next to the original: it is handed to ORT as bytes, and ORT is told the original's folder
 * ({@value #EXTERNAL_FOLDER_KEY}) so the copy's relative external-data locations resolve against the original's
 * data files, which ORT then reads (or maps) itself. Only the protobuf, without external weights, is serialized.
 */
public final class OrtSessions {
    /** ORT session config key: folder that relative external-data paths of a model loaded from memory resolve in. */
    public static final String EXTERNAL_FOLDER_KEY = "session.model_external_initializers_file_folder_path";

    private OrtSessions() {
    }

    /** The process-wide ORT environment (ORT allows one). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * A CPU session over {@code model}. {@code dataFolder} is the folder of the file the model came from (where its
     * external data lives); it may be null for a model without external data.
     */
    public static OrtSession open(ModelProto model, Path dataFolder, RuntimeOptions options) {
        return open(dataFolder, options, so -> createSession(model, so));
    }

    /** A CPU session over a model's serialized protobuf; as {@link #open(ModelProto, Path, RuntimeOptions)}. */
    static OrtSession open(byte[] model, Path dataFolder, RuntimeOptions options) {
        return open(dataFolder, options, so -> environment().createSession(model, so));
    }

    /** How a session is made from its options: from a protobuf or from its bytes. */
    private interface SessionMaker {
        OrtSession make(OrtSession.SessionOptions so) throws OrtException;
    }

    private static OrtSession open(Path dataFolder, RuntimeOptions options, SessionMaker maker) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (options.threads() > 0) so.setIntraOpNumThreads(options.threads());
            so.setOptimizationLevel(options.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                    : OrtSession.SessionOptions.OptLevel.NO_OPT);
            if (dataFolder != null) so.addConfigEntry(EXTERNAL_FOLDER_KEY, dataFolder.toAbsolutePath().normalize().toString());
            if (options.cuda()) addCuda(so);
            if (!options.spinning()) so.addConfigEntry(RuntimeOptions.SPINNING_KEY, "0");
            return maker.make(so);
        } catch (OrtException e) {
            throw new ModelRunException("ONNX Runtime cannot load the model" + (dataFolder != null ? " (data folder " + dataFolder + ")" : "")
                    + ": " + firstLine(e.getMessage()) + "; check that the model is valid ONNX and its external data files are present", e);
        }
    }

    /**
     * Serializes the model off the Java heap, into memory freed as soon as ONNX Runtime has parsed it: a model with
     * inline weights (a 350 MB ViT-B) would otherwise leave one heap copy per session, which the collector returns
     * to the system late or never (the heap grows to its limit first).
     */
    public static OrtSession createSession(ModelProto model, OrtSession.SessionOptions so) throws OrtException {
        int size = model.getSerializedSize();
        if (size < 0) {
            throw new ModelRunException("the model's protobuf passes 2 GB; its weights must be in external data");
        }
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer bytes = arena.allocate(Math.max(1, size), 64).asByteBuffer();
            try {
                CodedOutputStream out = CodedOutputStream.newInstance(bytes);
                model.writeTo(out);
                out.flush();
            } catch (IOException e) { // a buffer of the serialized size cannot run out; anything else is a bug
                throw new UncheckedIOException(e);
            }
            bytes.flip();
            return environment().createSession(bytes, so);
        }
    }

    /**
     * Whether ONNX Runtime can load the model, asked of ONNX Runtime itself (one thread, no graph optimisation: only
     * loading, type and shape checks are done): a {@link ModelRunException} with its reason when it cannot. This is
     * the last word on models that pass rba's own checks but break a rule only ONNX Runtime's loader knows. It runs
     * in a child JVM with a time and a memory limit ({@link OrtLoadCheck}): a load that does not end is a refusal.
     */
    public static void checkLoads(ModelProto model, Path dataFolder) {
        OrtLoadCheck.check(model, dataFolder, OrtLoadCheck.timeLimit(model), OrtLoadCheck.memoryLimit(model));
    }

    /** Adds the CUDA execution provider (device 0); ORT's CPU build lacks it, which gets a one-line explanation. */
    private static void addCuda(OrtSession.SessionOptions so) {
        if (!environment().getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            throw new ModelRunException("the CUDA execution provider is not in this ONNX Runtime build: put the GPU build "
                    + "(com.microsoft.onnxruntime:onnxruntime_gpu, needs CUDA 12 and cuDNN 9) on the class path, or use the CPU provider");
        }
        try {
            so.addCUDA(0);
        } catch (OrtException e) {
            throw new ModelRunException("ONNX Runtime cannot start its CUDA execution provider: " + firstLine(e.getMessage())
                    + "; check the CUDA 12 and cuDNN 9 libraries, or use the CPU provider", e);
        }
    }

    /** Closes {@code session}; a failure of ONNX Runtime's becomes a {@link ModelRunException}. */
    static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelRunException("cannot close the ORT session: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
