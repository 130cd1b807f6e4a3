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
