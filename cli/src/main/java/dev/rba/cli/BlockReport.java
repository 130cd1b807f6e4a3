package dev.rba.cli;

import dev.rba.onnx.blocks.Block;
import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.BlockStructure;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.ir.OnnxModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The blocks part of {@code rba inspect}: discovery results as report entries and as a text table. */
final class BlockReport {
    private BlockReport() {
    }

    static BlockStructure addBlocks(Map<String, Object> report, OnnxModel model, Path modelFolder, List<String> boundaries) {
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
        return s;
    }

    @SuppressWarnings("unchecked")
    static void printText(PrintWriter out, Map<String, Object> r) {
        out.printf("model       %s%n", r.get("model"));
        out.printf("opset       %s (IR version %s)%s%n", r.get("opset"), r.get("ir_version"),
                Boolean.TRUE.equals(r.get("external_data")) ? ", weights in external data" : "");
        out.printf("parameters  %s%n", Tables.count((Long) r.get("parameters")));
        out.printf("MACs/sample %s%n", Tables.count((Long) r.get("macs_per_sample")));
        for (String side : List.of("inputs", "outputs")) {
            for (Map<String, Object> io : (List<Map<String, Object>>) r.get(side)) {
                out.printf("%-11s %s %s%n", side.substring(0, side.length() - 1), io.get("name"), io.get("type"));
            }
        }
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) r.get("blocks");
        long replaced = blocks.stream().filter(b -> Boolean.TRUE.equals(b.get("replaced"))).count();
        String found = replaced == 0 ? Integer.toString(blocks.size())
                : (blocks.size() - replaced) + " (and " + replaced + " replaced span" + (replaced == 1 ? "" : "s") + ")";
        out.printf("%nblocks      %s found by %s, d=%s, tokens=%s, stream starts at input '%s'%n", found, r.get("discovery"),
                r.get("d"), Tables.dim((Long) r.get("tokens")), r.get("primary_input"));
        Tables t = new Tables("block", "prefix", "h_k (input)", "h_k+1 (output)", "d", "tokens", "params", "MACs/sample");
        for (Map<String, Object> b : blocks) {
            Object index = b.get("index").equals(b.get("last_index")) ? b.get("index") : b.get("index") + "-" + b.get("last_index");
            t.row(index, b.get("prefix"), b.get("input"), b.get("output"), b.get("d"), Tables.dim((Long) b.get("tokens")),
                    Tables.count((Long) b.get("parameters")), Tables.count((Long) b.get("macs_per_sample")));
        }
        t.print(out);
        for (String note : (List<String>) r.get("notes")) out.println("note: " + note);
        Map<String, String> meta = (Map<String, String>) r.get("metadata");
        if (!meta.isEmpty()) {
            out.println();
            meta.forEach((k, v) -> out.printf("metadata    %s = %s%n", k, v.length() > 100 ? v.substring(0, 97) + "..." : v));
        }
    }
}
