package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbered module prefixes in exported node names, such as {@code /blocks.3/...} (timm),
 * {@code /encoder/layer.3/...} (Hugging Face) or {@code /encoder/layers/encoder_layer_3/...} (torchvision).
 * Names are only a help: exports may have meaningless names, and then this finds nothing.
 *
 * <p>Every path component but the last (the operator's own name) that ends in a number is a candidate; the
 * template that the most nodes carry, with at least two distinct numbers, is taken as the block numbering.
 */
final class NumberedNames {
    private static final Pattern NUMBERED = Pattern.compile("^(.*?[^0-9])?([0-9]+)$");

    /** Template with '#' where the block number goes, e.g. "/blocks.#"; null when names give no numbering. */
    final String template;
    private final Map<Node, Integer> indexOf;
    final TreeSet<Integer> indices;

    private NumberedNames(String template, Map<Node, Integer> indexOf) {
        this.template = template;
        this.indexOf = indexOf;
        this.indices = new TreeSet<>(indexOf.values());
    }

    static NumberedNames of(Graph graph) {
        Map<String, List<Object[]>> byTemplate = new HashMap<>();
        for (Node node : graph.nodes()) {
            String name = node.name();
            if (name == null || name.isEmpty()) continue;
            String[] parts = name.split("/", -1);
            StringBuilder prefix = new StringBuilder();
            for (int j = 0; j < parts.length - 1; j++) {
                Matcher m = NUMBERED.matcher(parts[j]);
                if (j > 0 || !parts[j].isEmpty()) {
                    if (m.matches() && parts[j].length() < 40) {
                        String t = prefix + (m.group(1) == null ? "" : m.group(1)) + "#";
                        try {
                            int index = Integer.parseInt(m.group(2));
                            byTemplate.computeIfAbsent(t, k -> new ArrayList<>()).add(new Object[]{node, index});
                        } catch (NumberFormatException tooLong) {
                            // not a block number
                        }
                    }
                }
                prefix.append(parts[j]).append('/');
            }
        }
        String chosen = null;
        int chosenNodes = 0;
        int chosenDistinct = 0;
        for (Map.Entry<String, List<Object[]>> e : byTemplate.entrySet()) {
            TreeSet<Integer> distinct = new TreeSet<>();
            for (Object[] hit : e.getValue()) distinct.add((Integer) hit[1]);
            int count = e.getValue().size();
            if (distinct.size() < 2) continue;
            if (count > chosenNodes || (count == chosenNodes && distinct.size() > chosenDistinct)
                    || (count == chosenNodes && distinct.size() == chosenDistinct && e.getKey().compareTo(chosen) < 0)) {
                chosen = e.getKey();
                chosenNodes = count;
                chosenDistinct = distinct.size();
            }
        }
        Map<Node, Integer> index = new IdentityHashMap<>();
        if (chosen != null) for (Object[] hit : byTemplate.get(chosen)) index.put((Node) hit[0], (Integer) hit[1]);
        return new NumberedNames(chosen, index);
    }

    boolean found() {
        return template != null;
    }

    /** The block number in the node's name, or -1. */
    int indexOf(Node node) {
        Integer i = node == null ? null : indexOf.get(node);
        return i == null ? -1 : i;
    }

    /** The node-name prefix of block number {@code index}, e.g. "/blocks.3"; "" when names give no numbering. */
    String prefix(int index) {
        return template == null ? "" : template.replace("#", Integer.toString(index));
    }
}
