package dev.rba.core.onnx;

import dev.rba.core.data.ModelInputSpec;
import dev.rba.core.pipeline.Fingerprints;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.StageTimes;
import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.BlockStructure;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.runtime.OrtSessions;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.runtime.PaddingMask;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@link LoadedModel} of {@link LoadedModel#open}: the file (which owns the mappings of external weights), its
 * graph IR and the blocks found in it, which core's own packages reach through {@link #of}.
 */
public final class OnnxLoadedModel implements LoadedModel {
    private final OnnxModelFile file;
    private final OnnxModel model;
    private final BlockStructure blocks;
    private PaddingMask mask;
    private String fingerprint;

    private OnnxLoadedModel(OnnxModelFile file, OnnxModel model, BlockStructure blocks) {
        this.file = file;
        this.model = model;
        this.blocks = blocks;
    }

    /** Reads the model and finds its blocks; {@code boundaries} (h_0..h_L names) overrides discovery when non-empty. */
    public static OnnxLoadedModel open(Path path, List<String> boundaries) throws IOException {
        return open(path, boundaries, new StageTimes());
    }

    /**
     * As {@link #open(Path, List)}, adding the time of its stages to {@code times}: "model read" (read, parse and
     * rba's checks), "blocks" (graph IR and block discovery) and "shape probe" (ONNX Runtime's run that discovery
     * makes when the file declares too few shapes).
     */
    public static OnnxLoadedModel open(Path path, List<String> boundaries, StageTimes times) throws IOException {
        OnnxModelFile file = times.time("model read", () -> OnnxModelFile.read(path));
        try {
            long t0 = System.nanoTime();
            OnnxModel model = OnnxModel.fromProto(file.proto());
            DiscoveryOptions options = DiscoveryOptions.defaults().withModelFolder(file.folder())
                    .withBoundaries(boundaries == null ? List.of() : boundaries);
            BlockStructure blocks = BlockDiscovery.discover(model, options);
            long probe = Math.round(blocks.shapeProbeSeconds() * 1e9);
            times.add("blocks", Math.max(0, System.nanoTime() - t0 - probe));
            if (probe > 0) times.add("shape probe", probe);
            return new OnnxLoadedModel(file, model, blocks);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The ONNX side of a model {@link LoadedModel#open} opened (the only kind there is). */
    public static OnnxLoadedModel of(LoadedModel model) {
        if (model instanceof OnnxLoadedModel m) return m;
        throw new IllegalArgumentException("a model opened by LoadedModel.open is needed, not a " + model.getClass().getName());
    }

    /** The model file and its external data files: what an output must not overwrite. */
    @Override
    public Set<Path> inputFiles() {
        return file.inputFiles();
    }

    /** Width d of the residual stream; 0 or less when unknown. */
    @Override
    public long d() {
        return blocks.d();
    }

    /** Tokens per sample in the residual stream; -1 when dynamic. */
    @Override
    public long tokens() {
        return blocks.tokens();
    }

    /** Whether rba already replaced spans in this model, so its blocks are numbered apart from the original's. */
    @Override
    public boolean renumbered() {
        return blocks.renumbered();
    }

    /** How many blocks the original model had (as --replace numbers them). */
    @Override
    public int originalBlockCount() {
        return blocks.originalBlockCount();
    }

    public OnnxModelFile file() {
        return file;
    }

    /** The graph IR (a fresh parse of the file: edits to it do not touch the file or other loads). */
    public OnnxModel model() {
        return model;
    }

    public BlockStructure blocks() {
        return blocks;
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public Map<String, String> metadata() {
        return model.metadata();
    }

    /** The padding-mask input the statistics use (found from the graph unless {@link #useMaskInput} chose it). */
    public PaddingMask mask() {
        if (mask == null) mask = PaddingMask.find(file.proto());
        return mask;
    }

    /** The padding-mask input's name; null when there is none. */
    @Override
    public String maskInput() {
        return mask().input();
    }

    /** How the padding mask was found or chosen, one line. */
    @Override
    public String maskNote() {
        return mask().note();
    }

    /** Uses input {@code name} as the padding mask ({@code none}: no mask), instead of the one found from the graph. */
    @Override
    public void useMaskInput(String name) {
        mask = PaddingMask.given(file.proto(), name);
    }

    /** The mask as a capture option: its input name, or "none" (so that a capture does not look for one again). */
    @Override
    public String maskOption() {
        return mask().input() == null ? "none" : mask().input();
    }

    /** SHA-256 (hex) of the model file and its external data files, computed once ({@link Fingerprints#files}). */
    @Override
    public String fingerprint() throws IOException {
        if (fingerprint == null) fingerprint = Fingerprints.files(file.inputFiles());
        return fingerprint;
    }

    /** Names of h_0..h_L. */
    @Override
    public List<String> boundaryNames() {
        return blocks.boundaryNames();
    }

    @Override
    public int blockCount() {
        return blocks.blockCount();
    }

    @Override
    public void checkResidualStream() {
        residualShape();
    }

    /** The residual stream's shape for exposing h_k as outputs. */
    public ResidualShape residualShape() {
        if (blocks.d() <= 0) {
            // unknown widths often mean ONNX Runtime could not run the model to learn them: then that is the error
            OrtSessions.checkLoads(file.proto(), file.folder());
            throw new IllegalArgumentException("model " + path().getFileName() + ": the residual-stream tensors differ in width or their width is unknown; "
                    + "give boundaries of equal width with --boundaries");
        }
        return ResidualShape.of(blocks.tokens(), blocks.d());
    }

    /** The model's real inputs (not initializers listed as inputs by old exporters), as data loaders describe them. */
    @Override
    public List<ModelInputSpec> inputSpecs() {
        List<ModelInputSpec> specs = new ArrayList<>();
        for (Value v : model.graph().inputs()) {
            if (v.isInitializer()) continue;
            long[] dims = Types.dims(v.type());
            if (dims == null) {
                throw new IllegalArgumentException("model input '" + v.name() + "' has no declared shape; re-export the model with input shapes");
            }
            specs.add(new ModelInputSpec(v.name(), elementTypeName(Types.elemType(v.type())), dims));
        }
        return specs;
    }

    static String elementTypeName(int onnxElemType) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(onnxElemType);
        if (dt == null) throw new IllegalArgumentException("unknown ONNX element type " + onnxElemType);
        return switch (dt) {
            case FLOAT -> "float32";
            case FLOAT16 -> "float16";
            case DOUBLE -> "float64";
            default -> dt.name().toLowerCase(Locale.ROOT);
        };
    }

    @Override
    public void close() {
        file.close();
    }
}
