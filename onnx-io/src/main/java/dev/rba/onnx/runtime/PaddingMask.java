package dev.rba.onnx.runtime;

import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model input whose values gate the attention scores (a padding mask), found from the graph, whatever its name.
 *
 * <p>An input is a padding mask when its values reach a Softmax through element-wise and shape-only operations alone
 * (Cast, Unsqueeze, Sub, Mul, Add, Where, Equal, ...): that is how {@code (1 - mask) * min} or {@code where(mask,
 * scores, -inf)} reaches the scores. Image and token inputs reach a Softmax only through a Conv, MatMul or an
 * embedding Gather, where the trace stops. An input of token ids that also gates a Softmax (a mask computed inside the
 * graph from the pad id) is no 0/1 mask rba can read, and a mask that is not [batch, tokens] is not one per token: both
 * are reported, not used.
 *
 * @param input the mask input, or null when none is usable
 * @param note  how it was found, or why there is none (one line)
 */
public record PaddingMask(String input, String note) {
    /** Operations through which a mask's values travel to the scores unchanged in meaning. */
    private static final Set<String> PASS_THROUGH = Set.of("Cast", "CastLike", "Unsqueeze", "Squeeze", "Reshape",
            "Expand", "Flatten", "Transpose", "Identity", "Slice", "Concat", "Tile", "Gather", "Sub", "Mul", "Add", "Div",
            "Neg", "Not", "And", "Or", "Xor", "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Where", "Min",
            "Max", "Clip", "Sign", "Abs");
    /** Element types a padding mask comes in. */
    private static final Set<Integer> MASK_TYPES = Set.of(TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.INT64_VALUE,
            TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
            TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.DOUBLE_VALUE);

    /** The user's choice, checked against the model's inputs; {@code none} for no mask. */
    public static PaddingMask given(ModelProto model, String name) {
        if (name.equalsIgnoreCase("none")) return new PaddingMask(null, "none (--mask-input none)");
        List<String> inputs = realInputs(model.getGraph()).stream().map(ValueInfoProto::getName).toList();
        if (!inputs.contains(name)) {
            throw new IllegalArgumentException("--mask-input " + name + " is not an input of the model; its inputs are "
                    + inputs + " (or give none)");
        }
        return new PaddingMask(name, "input '" + name + "' (given with --mask-input)");
    }

    /** Finds the mask input of {@code model}; see the class comment. */
    public static PaddingMask find(ModelProto model) {
        GraphProto g = model.getGraph();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
        List<String> masks = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        for (ValueInfoProto in : realInputs(g)) {
            if (!MASK_TYPES.contains(in.getType().getTensorType().getElemType())) continue;
            if (!gatesSoftmax(in.getName(), consumers)) continue;
            if (isTokenIds(in.getName(), consumers)) {
                unusable.add("'" + in.getName() + "' (token ids that the graph turns into a mask itself)");
            } else if (in.getType().getTensorType().getShape().getDimCount() != 2) {
                unusable.add("'" + in.getName() + "' (rank " + in.getType().getTensorType().getShape().getDimCount()
                        + ", not [batch, tokens])");
            } else {
                masks.add(in.getName());
            }
        }
        String also = unusable.isEmpty() ? "" : "; not usable as a per-token mask: " + String.join(", ", unusable)
                + ", so padding, if the data has any, enters the statistics";
        if (masks.size() == 1) {
            return new PaddingMask(masks.getFirst(), "input '" + masks.getFirst() + "' (its values reach the attention "
                    + "Softmax through element-wise operations)" + also);
        }
        if (masks.size() > 1) {
            return new PaddingMask(null, "none: inputs " + masks + " all gate the attention scores; say which marks "
                    + "padding with --mask-input NAME");
        }
        return new PaddingMask(null, "none (no input gates the attention scores)" + also);
    }

    /** Whether the values of {@code input} reach a Softmax through {@link #PASS_THROUGH} operations only. */
    private static boolean gatesSoftmax(String input, Map<String, List<NodeProto>> consumers) {
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(input));
        Set<String> seen = new HashSet<>(todo);
        while (!todo.isEmpty()) {
            String t = todo.poll();
            for (NodeProto n : consumers.getOrDefault(t, List.of())) {
                String op = n.getOpType();
                if (op.equals("Softmax") || op.equals("LogSoftmax")) return true;
                if (!PASS_THROUGH.contains(op)) continue;
                if (op.equals("Gather") && !n.getInput(0).equals(t)) continue; // t indexes a table: an embedding lookup
                for (String o : n.getOutputList()) if (!o.isEmpty() && seen.add(o)) todo.add(o);
            }
        }
        return false;
    }

    /** Whether {@code input} indexes a table (Gather's indices): token ids, not a mask. */
    private static boolean isTokenIds(String input, Map<String, List<NodeProto>> consumers) {
        for (NodeProto n : consumers.getOrDefault(input, List.of())) {
            if (n.getOpType().equals("Gather") && n.getInputCount() > 1 && n.getInput(1).equals(input)) return true;
        }
        return false;
    }

    /** Graph inputs that are not initializers (old exporters list weights as inputs). */
    private static List<ValueInfoProto> realInputs(GraphProto g) {
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) inits.add(t.getName());
        return g.getInputList().stream().filter(v -> !inits.contains(v.getName())).toList();
    }
}
