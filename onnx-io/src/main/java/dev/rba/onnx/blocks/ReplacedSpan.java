package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.io.JsonText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A span of blocks that rba already replaced by a linear map, as the model's {@code rba.approximation} record tells:
 * original blocks {@code first..last} are gone and the tensor {@code output} (the inserted MatMul's, or its bias
 * Add's) now carries h_{last+1}, computed from {@code input} (h_first). Block discovery steps over these, so a
 * rewritten model keeps the numbering of the model it came from.
 */
public record ReplacedSpan(int first, int last, String input, String output) {
    /** The metadata key of the record (written by dev.rba.core.approx.ApproximationRecord). */
    public static final String RECORD_KEY = "rba.approximation";

    public ReplacedSpan {
        if (first < 0 || last < first) throw new IllegalArgumentException("bad replaced span " + first + "-" + last);
    }

    /** The spans of a model's record, in model order; empty when the model has none. */
    public static List<ReplacedSpan> ofModel(Map<String, String> metadata) {
        String record = metadata.get(RECORD_KEY);
        return record == null ? List.of() : ofRecord(record);
    }

    /** The spans of a record's JSON; a record that cannot be read gives an error naming the key. */
    @SuppressWarnings("unchecked")
    static List<ReplacedSpan> ofRecord(String json) {
        List<ReplacedSpan> out = new ArrayList<>();
        try {
            Map<String, Object> r = (Map<String, Object>) JsonText.parse(json);
            for (Object o : (List<Object>) r.get("spans")) {
                Map<String, Object> s = (Map<String, Object>) o;
                List<Object> blocks = (List<Object>) s.get("blocks");
                out.add(new ReplacedSpan(((Number) blocks.get(0)).intValue(), ((Number) blocks.get(1)).intValue(),
                        (String) s.get("h_in_tensor"), (String) s.get("replacement_tensor")));
            }
        } catch (RuntimeException e) {
            throw new BlockDiscoveryException("the model's '" + RECORD_KEY + "' metadata is not a readable rba record ("
                    + e.getMessage() + "): remove the entry or give the residual stream with the boundary override");
        }
        out.sort(java.util.Comparator.comparingInt(ReplacedSpan::first));
        return out;
    }

    /** {@code 2-3}. */
    public String text() {
        return first + "-" + last;
    }
}
