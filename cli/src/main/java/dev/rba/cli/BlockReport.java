package dev.rba.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code rba inspect}'s text form: the {@link dev.rba.core.ModelInspection} report as lines and a table. */
final class BlockReport {
    private BlockReport() {
    }

    @SuppressWarnings("unchecked")
    static void printText(PrintWriter out, Map<String, Object> r) {
        Tables.paragraph(out, "model       ", String.valueOf(r.get("model")));
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
        // the names come last, one per line, so that long ONNX names wrap instead of pushing the table past 100 columns
        Tables t = new Tables("block", "d", "tokens", "params", "MACs/sample", "prefix; in: h_k; out: h_k+1");
        for (Map<String, Object> b : blocks) {
            Object index = b.get("index").equals(b.get("last_index")) ? b.get("index") : b.get("index") + "-" + b.get("last_index");
            t.row(index, b.get("d"), Tables.dim((Long) b.get("tokens")), Tables.count((Long) b.get("parameters")),
                    Tables.count((Long) b.get("macs_per_sample")),
                    b.get("prefix") + "\nin:  " + b.get("input") + "\nout: " + b.get("output"));
        }
        t.print(out);
        for (String note : (List<String>) r.get("notes")) Tables.paragraph(out, "note: ", note);
        Map<String, String> meta = (Map<String, String>) r.get("metadata");
        if (!meta.isEmpty()) {
            out.println();
            meta.forEach((k, v) -> {
                // a value is shown on one line, shortened to fit: --json has it whole
                String lead = "metadata    " + k + " = ";
                int room = Math.max(Tables.WIDTH - lead.length(), 10);
                out.println(lead + (v.length() > room ? v.substring(0, room - 3) + "..." : v));
            });
        }
    }
}
