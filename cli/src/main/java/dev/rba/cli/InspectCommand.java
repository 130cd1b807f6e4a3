package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.data.ClassNames;
import dev.rba.core.data.InvalidInputException;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.runtime.OrtSessions;
import dev.rba.onnx.runtime.PaddingMask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code rba inspect}: what rba sees in a model, before any analysis. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        header = "Shows the blocks rba finds in a model, and its inputs and outputs.",
        description = {"Shows the transformer blocks rba finds in an ONNX model and the model's inputs",
                "and outputs.",
                "",
                "The residual stream between blocks is h_0..h_L: h_0 enters block 0, h_k leaves",
                "block k-1. Blocks are found from the graph's structure (names only help), for",
                "pre-norm (ViT, DeiT) and post-norm (BERT-style) encoders. If rba finds the",
                "wrong boundaries, give them with --boundaries.",
                "",
                "A model that cannot run (a node reading a missing tensor, a cycle, tensor",
                "data that does not match its dims, an unknown operator or type, or anything",
                "else ONNX Runtime refuses to load) is refused with exit 2 and its cause."},
        sortOptions = false)
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to inspect (external data beside it is found).")
    Path model;

    @Option(names = "--json", description = "Print a JSON report instead of tables.")
    boolean json;

    @Option(names = "--boundaries", split = ",", paramLabel = "TENSOR",
            description = "Residual-stream tensor names h_0,h_1,...,h_L to use instead of automatic discovery.")
    List<String> boundaries;

    @Override
    public Integer call() throws Exception {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
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
            report.put("inputs", describe(m.graph().inputs(), m));
            report.put("outputs", describe(m.graph().outputs(), m));
            report.put("metadata", m.metadata());
            BlockReport.addBlocks(report, m, file.folder(), boundaries);
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
            if (json) {
                out.println(Json.write(report));
            } else {
                BlockReport.printText(out, report);
                out.println("padding mask: " + mask.note());
                out.println("class names: " + classNote);
            }
        }
        out.flush();
        return 0;
    }

    private static List<Map<String, Object>> describe(List<Value> values, OnnxModel m) {
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
}
