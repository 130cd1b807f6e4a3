package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.ModelInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code rba inspect}: what rba sees in a model, before any analysis. */
@Command(name = "inspect",
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
                "else ONNX Runtime refuses to load) is refused with exit 2 and its cause."})
final class InspectCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to inspect (external data beside it is found).")
    Path model;

    @Mixin
    JsonMixin json;

    @Mixin
    BoundariesMixin boundaries;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        ModelInspection inspection = ModelInspection.of(model, boundaries.names);
        if (json.enabled) {
            out.println(Json.write(inspection.report()));
        } else {
            BlockReport.printText(out, inspection.report());
            Tables.paragraph(out, "padding mask: ", inspection.maskNote());
            Tables.paragraph(out, "class names: ", inspection.classNote());
        }
        out.flush();
        return 0;
    }
}
