package dev.rba.core;

import dev.rba.core.data.ClassNames;
import dev.rba.core.data.InvalidInputException;
import dev.rba.onnx.blocks.Block;
import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.BlockStructure;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.runtime.OrtSessions;
import dev.rba.onnx.runtime.PaddingMask;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rba sees in a model before any analysis ({@code rba inspect}): opset, inputs and outputs, the blocks found
 * and their numbering, the padding mask and the class names. The report is plain maps and lists in a fixed key
 * order (it is printed as JSON as it stands), so callers need no ONNX type.
 *
 * @param report    the entries, in the order {@code rba inspect --json} prints them
 * @param maskNote  how the padding mask was found, one line
 * @param classNote where the class names come from, or why they could not be read, one line
 */
public record ModelInspection(Map<String, Object> report, String maskNote, String classNote) {

    /**
     * Reads and checks {@code model} (rba's checks, then ONNX Runtime's loader) and describes it.
     *
     * @param boundaries residual-stream tensor names h_0..h_L to use instead of discovery; empty for discovery
     */
    public static ModelInspection of(Path model, List<String> boundaries) throws IOException {
        try (OnnxModelFile file = OnnxModelFile.read(model)) {
            // rba's own checks ran in read(); ONNX Runtime's loader has the last word on whether the model can run
            OrtSessions.checkLoads(file.proto(), file.folder());
            OnnxModel m = OnnxModel.fromProto(file.proto());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", file.path().toString());
            report.put("opset", m.opset());
            report.put("ir_version", m.irVersion());
            report.put("parameters", file.parameterCount());
            report.put("external_data", file.hasExternalData());
            report.put("inputs", describe(m.graph().inputs()));
            report.put("outputs", describe(m.graph().outputs()));
            report.put("metadata", m.metadata());
            addBlocks(report, m, file.folder(), boundaries);
            PaddingMask mask = PaddingMask.find(file.proto());
            Map<String, Object> maskEntry = new LinkedHashMap<>();
            maskEntry.put("input", mask.input());
            maskEntry.put("how", mask.note());
            report.put("padding_mask", maskEntry);
            ClassNames classes = null;
            String classNote;
            try {
                classes = ClassNames.ofModel(m.metadata(), file.folder());
                classNote = classes == null ? "none recorded (image folders then need --class-names or folders named "
                        + "by class index)" : classes.size() + " from " + classes.source();
            } catch (InvalidInputException e) {   // unreadable names do not stop an inspection; they are what it shows
                classNote = e.getMessage();
            }
            Map<String, Object> classEntry = new LinkedHashMap<>();
            classEntry.put("names", classes == null ? null : classes.names());
            classEntry.put("how", classNote);
            report.put("class_names", classEntry);
            return new ModelInspection(report, mask.note(), classNote);
        }
    }

    private static List<Map<String, Object>> describe(List<Value> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Value v : values) {
            if (v.isInitializer()) continue;   // old exports list weights as inputs too; they are not model inputs
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", v.name());
            e.put("type", Types.describe(v.type()));
            out.add(e);
        }
        return out;
    }

    private static void addBlocks(Map<String, Object> report, OnnxModel model, Path modelFolder, List<String> boundaries) {
        DiscoveryOptions options = DiscoveryOptions.defaults().withModelFolder(modelFolder)
                .withBoundaries(boundaries == null ? List.of() : boundaries);
        BlockStructure s = BlockDiscovery.discover(model, options);
        report.put("discovery", s.method());
        report.put("primary_input", s.primaryInput());
        report.put("d", s.d());
        report.put("tokens", s.tokens());
        report.put("macs_per_sample", s.modelCost().macsPerSample());
        report.put("residual_stream", s.boundaryNames());
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (Block b : s.blocks()) {
            Map<String, Object> e = new LinkedHashMap<>();
            BlockStructure.OriginalBlocks o = s.numbering().get(b.index());
            // numbered as in the model rba started from; a replaced span is one entry standing for first-last
            e.put("index", o.first());
            e.put("last_index", o.last());
            e.put("replaced", o.replaced());
            e.put("prefix", o.replaced() ? "(replaced by rba)" : b.prefix());
            e.put("input", b.input().name());
            e.put("output", b.output().name());
            e.put("d", b.d());
            e.put("tokens", b.tokens());
            e.put("nodes", b.nodes().size());
            e.put("parameters", b.parameters());
            e.put("macs_per_sample", b.macsPerSample());
            blocks.add(e);
        }
        report.put("blocks", blocks);
        report.put("notes", s.notes());
    }
}
