package dev.rba.core.pipeline;

import dev.rba.core.data.ModelInputSpec;
import dev.rba.core.onnx.OnnxLoadedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model file opened for the pipeline: its blocks, its inputs as data loaders describe them, its padding mask. Close
 * it when done (it owns the mappings of external weights). Its graph and protobuf stay inside core: the one
 * implementation, {@link #open}'s, lives in a package core does not export.
 */
public interface LoadedModel extends AutoCloseable {

    /** Reads the model and finds its blocks; {@code boundaries} (h_0..h_L names) overrides discovery when non-empty. */
    static LoadedModel open(Path path, List<String> boundaries) throws IOException {
        return OnnxLoadedModel.open(path, boundaries);
    }

    /**
     * As {@link #open(Path, List)}, adding the time of its stages to {@code times}: "model read", "blocks" and
     * "shape probe" (ONNX Runtime's run that block discovery makes when the file declares too few shapes).
     */
    static LoadedModel open(Path path, List<String> boundaries, StageTimes times) throws IOException {
        return OnnxLoadedModel.open(path, boundaries, times);
    }

    /** The model file and its external data files: what an output must not overwrite. */
    Set<Path> inputFiles();

    /** Width d of the residual stream; 0 or less when unknown. */
    long d();

    /** Tokens per sample in the residual stream; -1 when dynamic. */
    long tokens();

    /** Whether rba already replaced spans in this model, so its blocks are numbered apart from the original's. */
    boolean renumbered();

    /** How many blocks the original model had (as --replace numbers them). */
    int originalBlockCount();

    Path path();

    Map<String, String> metadata();

    /** The padding-mask input's name; null when there is none. */
    String maskInput();

    /** How the padding mask was found or chosen, one line. */
    String maskNote();

    /** Uses input {@code name} as the padding mask ({@code none}: no mask), instead of the one found from the graph. */
    void useMaskInput(String name);

    /** The mask as a capture option: its input name, or "none" (so that a capture does not look for one again). */
    String maskOption();

    /** SHA-256 (hex) of the model file and its external data files, computed once ({@link Fingerprints#files}). */
    String fingerprint() throws IOException;

    /** Names of h_0..h_L. */
    List<String> boundaryNames();

    int blockCount();

    /**
     * Refuses, with advice, a model whose h_k differ in width or whose width is unknown (a capture needs one width):
     * commands call it before reading any data.
     */
    void checkResidualStream();

    /** The model's real inputs (not initializers listed as inputs by old exporters), as data loaders describe them. */
    List<ModelInputSpec> inputSpecs();

    @Override
    void close();
}
