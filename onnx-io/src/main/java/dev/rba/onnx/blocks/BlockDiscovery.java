package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Use;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.proto.OnnxProto.TensorProto.DataType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the residual stream h_0..h_L of a transformer encoder in an ONNX graph and the blocks between its tensors,
 * from the graph's structure, with node names only as a help.
 *
 * <ol>
 * <li>Values computed only from shapes and constants are set aside ({@link DataFlowValues}).</li>
 * <li>For each graph input, the values on every path from it to the outputs are the cut points
 * ({@link ResidualCuts}); an attention mask fed to every block is not a source, so it does not hide them.</li>
 * <li>The segments between consecutive cut points get op-type signatures; the longest stretch that repeats at least
 * twice gives the blocks ({@link RepeatingRun}). Ties between alignments go to the one whose boundaries agree with
 * numbered node names, then to the latest-ending one, so a post-norm block ends at its final LayerNorm.</li>
 * <li>If numbered names ({@code blocks.N}, {@code layer.N}, {@code encoder_layer_N}) split the cut points into more
 * blocks than the repetition found (blocks that differ), the names win.</li>
 * <li>The input giving the most blocks is the primary input.</li>
 * </ol>
 * Then nodes are assigned to blocks ({@link BlockMembership}) and widths, tokens, parameters and MACs are read from
 * shapes ({@link ValueShapes}: value_info, or one ONNX Runtime run at batch 1).
 */
public final class BlockDiscovery {
    private BlockDiscovery() {
    }

    public static BlockStructure discover(OnnxModel model) {
        return discover(model, DiscoveryOptions.defaults());
    }

    /** Uses {@code boundaryOverride} (names of h_0..h_L) when it is non-empty. */
    public static BlockStructure discover(OnnxModel model, List<String> boundaryOverride) {
        return discover(model, DiscoveryOptions.defaults().withBoundaries(boundaryOverride));
    }

    public static BlockStructure discover(OnnxModel model, DiscoveryOptions options) {
        Graph graph = model.graph();
        DataFlowValues flow = DataFlowValues.of(graph);
        List<String> notes = new ArrayList<>();
        List<ReplacedSpan> replaced = options.boundaries().isEmpty() ? ReplacedSpan.ofModel(model.metadata()) : List.of();
        Found found = options.boundaries().isEmpty()
                ? fromStructure(graph, flow, replaced, notes)
                : fromOverride(graph, flow, options.boundaries(), notes);
        BlockMembership membership = BlockMembership.assign(graph, flow, found.boundaries);

        if (membership.sharedParameterTensors > 0) {
            notes.add(membership.sharedParameterTensors + " parameter tensors are read by several blocks (tied, or merged "
                    + "by the exporter because they were equal); each block counts them");
        }
        List<Value> wanted = new ArrayList<>(found.boundaries);
        wanted.addAll(Macs.operands(graph.nodes()));
        ValueShapes shapes = ValueShapes.resolve(model, wanted, options);
        notes.add(shapes.source);
        if (shapes.dynamicLength) {
            notes.add("the input length is symbolic: tokens are reported as -1; MACs are at the probe length");
        }

        long einsums = graph.nodes().stream().filter(n -> n.isStandardOp("Einsum")).count();
        if (einsums > 0) notes.add(einsums + " Einsum nodes are not counted in the MACs");
        NumberedNames names = NumberedNames.of(graph);
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k + 1 < found.boundaries.size(); k++) {
            Value in = found.boundaries.get(k);
            List<Node> nodes = membership.nodesOfBlock.get(k);
            blocks.add(new Block(k, prefixOf(nodes, names), in, found.boundaries.get(k + 1), nodes,
                    width(shapes.of(in)), tokens(shapes.of(in), shapes), membership.parameters[k], macsPerSample(nodes, shapes)));
        }
        long d = width(shapes.of(found.boundaries.get(0)));
        for (Value h : found.boundaries) {
            if (width(shapes.of(h)) != d) {
                notes.add("the residual-stream tensors differ in width (h_0 has " + d + ", '" + h.name() + "' has "
                        + width(shapes.of(h)) + "); d is reported as -1");
                d = -1;
                break;
            }
        }
        long tokens = tokens(shapes.of(found.boundaries.get(0)), shapes);
        return new BlockStructure(found.boundaries, blocks, d, tokens, found.method, found.primaryInput,
                cost(graph, shapes), notes, numbering(found.boundaries, replaced, notes), shapes.probeNanos / 1e9);
    }

    /** Parameters and MACs per sample of the whole model (runs ONNX Runtime once when shapes are not declared). */
    public static ModelCost modelCost(OnnxModel model, DiscoveryOptions options) {
        Graph graph = model.graph();
        return cost(graph, ValueShapes.resolve(model, Macs.operands(graph.nodes()), options));
    }

    public static ModelCost modelCost(OnnxModel model) {
        return modelCost(model, DiscoveryOptions.defaults());
    }

    private static ModelCost cost(Graph graph, ValueShapes shapes) {
        long params = 0;
        for (Value init : graph.initializers()) params += TensorShapes.elementCount(init.initializer());
        return new ModelCost(params, macsPerSample(graph.nodes(), shapes), shapes.source);
    }

    private record Found(List<Value> boundaries, String method, String primaryInput) {
    }

    private static Found fromStructure(Graph graph, DataFlowValues flow, List<ReplacedSpan> replaced, List<String> notes) {
        NumberedNames names = NumberedNames.of(graph);
        Found best = null;
        List<String> tried = new ArrayList<>();
        for (Value input : graph.inputs()) {
            if (input.isInitializer() || !isNumeric(input)) continue;
            ResidualCuts cuts = ResidualCuts.find(graph, flow, input);
            Found f = replaced.isEmpty() ? fromCuts(cuts, names) : acrossReplacedSpans(cuts, names, replaced);
            tried.add(input.name() + ": " + (f == null ? 0 : f.boundaries.size() - 1) + " blocks");
            if (f != null && (best == null || f.boundaries.size() > best.boundaries.size())) best = f;
        }
        if (best == null) {
            throw new BlockDiscoveryException("no repeated transformer blocks found in graph '" + graph.name() + "' ("
                    + graph.nodes().size() + " nodes; " + (tried.isEmpty() ? "no numeric inputs" : String.join(", ", tried))
                    + "); give the residual-stream tensor names h_0..h_L with the boundary override option");
        }
        if (tried.size() > 1) notes.add("primary input '" + best.primaryInput + "' chosen (" + String.join(", ", tried) + ")");
        if (best.method.equals("names")) {
            notes.add("blocks taken from numbered node names '" + names.template + "': the repeated structure gave fewer blocks");
        } else if (names.found()) {
            notes.add("node names numbered like '" + names.template + "' were used only to break ties");
        }
        return best;
    }

    private static Found fromCuts(ResidualCuts cuts, NumberedNames names) {
        String input = cuts.source.name();
        List<Value> structural = null;
        List<RepeatingRun> runs = RepeatingRun.best(cuts.signatures(), cuts.computes());
        if (!runs.isEmpty()) {
            RepeatingRun run = runs.stream()
                    .max(Comparator.<RepeatingRun>comparingInt(r -> nameAgreement(r, cuts, names))
                            .thenComparingInt(RepeatingRun::endSegment))
                    .orElseThrow();
            structural = new ArrayList<>();
            for (int j = 0; j <= run.repetitions(); j++) structural.add(cuts.cuts.get(run.boundaryCut(j)));
        }
        List<Value> byNames = names.found() ? boundariesFromNames(cuts.cuts, names) : null;
        if (byNames != null && (structural == null || byNames.size() > structural.size())) {
            return new Found(byNames, "names", input);
        }
        return structural == null ? null : new Found(structural, "structure", input);
    }

    /**
     * Blocks of a model rba rewrote: the replaced spans' segments (from h_first's cut point to the replacement
     * tensor's) are taken out, the repetition is found in what is left, as in the original model, and each replaced
     * span comes back as one block between its two tensors. Null when the record's tensors are not both cut points
     * of this input's stream.
     */
    private static Found acrossReplacedSpans(ResidualCuts cuts, NumberedNames names, List<ReplacedSpan> replaced) {
        Map<Value, Integer> at = new java.util.IdentityHashMap<>();
        for (int i = 0; i < cuts.cuts.size(); i++) at.put(cuts.cuts.get(i), i);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < cuts.cuts.size(); i++) byName.put(cuts.cuts.get(i).name(), i);
        int[] from = new int[replaced.size()];
        int[] to = new int[replaced.size()];
        for (int k = 0; k < replaced.size(); k++) {
            Integer a = byName.get(replaced.get(k).input());
            Integer b = byName.get(replaced.get(k).output());
            if (a == null || b == null || b <= a || (k > 0 && a < to[k - 1])) return null;
            from[k] = a;
            to[k] = b;
        }
        Found f = fromCuts(cuts.without(from, to), names);
        if (f == null) return null;
        List<Value> expanded = new ArrayList<>();
        for (Value v : f.boundaries) {
            expanded.add(v);
            Integer i = at.get(v);
            for (int k = 0; k < from.length; k++) if (i != null && i == from[k]) expanded.add(cuts.cuts.get(to[k]));
        }
        return new Found(expanded, f.method, f.primaryInput);
    }

    /**
     * The original blocks each found block stands for. A replaced span must start where the blocks before it end in
     * the original numbering; otherwise the record and the graph disagree and discovery refuses.
     */
    private static List<BlockStructure.OriginalBlocks> numbering(List<Value> boundaries, List<ReplacedSpan> replaced,
                                                                 List<String> notes) {
        List<BlockStructure.OriginalBlocks> out = new ArrayList<>();
        int next = 0;
        int used = 0;
        for (int k = 0; k + 1 < boundaries.size(); k++) {
            ReplacedSpan r = null;
            for (ReplacedSpan s : replaced) {
                if (s.input().equals(boundaries.get(k).name()) && s.output().equals(boundaries.get(k + 1).name())) r = s;
            }
            if (r == null) {
                out.add(new BlockStructure.OriginalBlocks(next, next, false));
                next++;
                continue;
            }
            if (r.first() != next) {
                throw new BlockDiscoveryException("the model's rba record says blocks " + r.text() + " were replaced, but"
                        + " the graph has " + next + " blocks before that replacement: the model was edited after rba "
                        + "wrote it; give h_0..h_L with the boundary override");
            }
            out.add(new BlockStructure.OriginalBlocks(r.first(), r.last(), true));
            next = r.last() + 1;
            used++;
        }
        if (used < replaced.size()) {
            throw new BlockDiscoveryException("the model's rba record names " + replaced.size() + " replaced spans but "
                    + "only " + used + " were found between the blocks: the model was edited after rba wrote it; give "
                    + "h_0..h_L with the boundary override");
        }
        if (used > 0) {
            StringBuilder spans = new StringBuilder();
            for (ReplacedSpan s : replaced) spans.append(spans.isEmpty() ? "" : ", ").append(s.text());
            notes.add("rewritten by rba (record '" + ReplacedSpan.RECORD_KEY + "'): blocks " + spans + " replaced by "
                    + "linear maps; blocks keep the original model's numbers (0-" + (next - 1) + ")");
        }
        return out;
    }

    /** How many boundaries h_1..h_L are produced by a node of the block whose number their position implies. */
    private static int nameAgreement(RepeatingRun run, ResidualCuts cuts, NumberedNames names) {
        if (!names.found()) return 0;
        int first = names.indexOf(cuts.cuts.get(run.boundaryCut(1)).producer());
        if (first < 0) return 0;
        int agree = 0;
        for (int j = 1; j <= run.repetitions(); j++) {
            if (names.indexOf(cuts.cuts.get(run.boundaryCut(j)).producer()) == first + j - 1) agree++;
        }
        return agree;
    }

    /**
     * h_{k+1} = the last cut point produced inside numbered block k; h_0 = the cut point just before block 0's first.
     * Null unless the numbers rise along the stream and give at least two blocks.
     */
    private static List<Value> boundariesFromNames(List<Value> cuts, NumberedNames names) {
        List<Value> out = new ArrayList<>();
        int current = -1;
        for (int c = 0; c < cuts.size(); c++) {
            int idx = names.indexOf(cuts.get(c).producer());
            if (idx < 0 || idx == current) {
                if (idx == current && idx >= 0) out.set(out.size() - 1, cuts.get(c));
                continue;
            }
            if (idx < current) return null;
            if (current >= 0 && idx != current + 1) return null;     // a block number skipped: not a clean stream
            if (current < 0) {
                if (c == 0) return null;
                out.add(cuts.get(c - 1));
            }
            out.add(cuts.get(c));
            current = idx;
        }
        return out.size() >= 3 ? out : null;
    }

    private static Found fromOverride(Graph graph, DataFlowValues flow, List<String> names, List<String> notes) {
        if (names.size() < 2) {
            throw new BlockDiscoveryException("the boundary override needs at least two tensor names (h_0 and h_1), got "
                    + names.size());
        }
        Map<String, Value> byName = new HashMap<>();
        for (Value v : graph.values()) byName.putIfAbsent(v.name(), v);
        List<Value> boundaries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            Value v = byName.get(name);
            if (v == null) {
                throw new BlockDiscoveryException("boundary tensor '" + name + "' is not in the model; give tensor names "
                        + "as they appear in the ONNX graph (h_0..h_L in order)");
            }
            if (!seen.add(name)) throw new BlockDiscoveryException("boundary tensor '" + name + "' is given twice; give h_0..h_L once each");
            if (!flow.isData(v)) {
                throw new BlockDiscoveryException("boundary tensor '" + name + "' is a constant or shape value, not part of the "
                        + "residual stream; give activation tensors");
            }
            boundaries.add(v);
        }
        String input = inputFeeding(graph, flow, boundaries.get(0));
        Value source = null;
        for (Value v : graph.inputs()) if (v.name().equals(input)) source = v;
        if (source != null) {
            Set<Value> cuts = ResidualCuts.identitySet();
            cuts.addAll(ResidualCuts.find(graph, flow, source).cuts);
            for (Value h : boundaries) {
                if (!cuts.contains(h)) {
                    notes.add("boundary tensor '" + h.name() + "' is not on every path from '" + input + "' to the outputs: "
                            + "data bypasses it, so a span ending or starting there cannot be replaced cleanly");
                }
            }
        }
        return new Found(boundaries, "override", input);
    }

    /** The first graph input whose data reaches {@code target}, or "". */
    private static String inputFeeding(Graph graph, DataFlowValues flow, Value target) {
        for (Value input : graph.inputs()) {
            if (input.isInitializer()) continue;
            if (input == target) return input.name();
            Set<Value> seen = ResidualCuts.identitySet();
            ArrayDeque<Value> work = new ArrayDeque<>(List.of(input));
            while (!work.isEmpty()) {
                for (Use u : work.poll().uses()) {
                    for (Value out : u.node().outputs()) {
                        if (out == target) return input.name();
                        if (flow.isData(out) && seen.add(out)) work.add(out);
                    }
                }
            }
        }
        return "";
    }

    private static boolean isNumeric(Value input) {
        int t = Types.elemType(input.type());
        return t == 0 || (t != DataType.STRING_VALUE && t != DataType.BOOL_VALUE);
    }

    private static long width(long[] dims) {
        return dims == null || dims.length == 0 ? -1 : dims[dims.length - 1];
    }

    private static long tokens(long[] dims, ValueShapes shapes) {
        if (dims == null || dims.length < 3 || shapes.dynamicLength) return -1;
        return dims[dims.length - 2];
    }

    private static long macsPerSample(List<Node> nodes, ValueShapes shapes) {
        long total = 0;
        for (Node n : nodes) {
            long m = Macs.of(n, shapes);
            if (m < 0) return -1;
            total += m;
        }
        return total / Math.max(1, shapes.batch);
    }

    /** The numbered prefix most of the block's nodes carry, else their common '/'-path prefix, else "". */
    private static String prefixOf(List<Node> nodes, NumberedNames names) {
        if (names.found()) {
            Map<Integer, Integer> votes = new HashMap<>();
            for (Node n : nodes) {
                int i = names.indexOf(n);
                if (i >= 0) votes.merge(i, 1, Integer::sum);
            }
            var top = votes.entrySet().stream().max(Map.Entry.comparingByValue());
            if (top.isPresent() && top.get().getValue() * 2 > nodes.size()) return names.prefix(top.get().getKey());
        }
        String common = null;
        for (Node n : nodes) {
            String name = n.name();
            if (name == null || name.isEmpty()) continue;
            common = common == null ? name : commonPrefix(common, name);
        }
        if (common == null) return "";
        int slash = common.lastIndexOf('/');
        String p = slash <= 0 ? "" : common.substring(0, slash);
        return p;
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        return a.substring(0, i);
    }
}
