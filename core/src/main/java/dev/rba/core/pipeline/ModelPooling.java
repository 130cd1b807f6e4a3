package dev.rba.core.pipeline;

import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the model's head reads the last residual-stream tensor h_L, when the graph shows it: a Gather or Slice of token
 * 0 on the token axis (class-token pooling), or a ReduceMean over the token axis (mean pooling). The trace passes
 * through the final norm (fused, or decomposed into ReduceMean over the last axis and element-wise operations).
 */
final class ModelPooling {
    private static final Set<String> NORM_OPS = Set.of("LayerNormalization", "Sub", "Pow", "Add", "Sqrt", "Div", "Mul",
            "Cast", "Identity", "ReduceMean");
    /** Nodes visited at most: the head sits right after h_L. */
    private static final int MAX_NODES = 64;

    private ModelPooling() {
    }

    /** What the head reads of {@code hLast}, or null when the graph does not show one clear way. */
    static SummaryToken.Choice of(Value hLast) {
        if (hLast == null) return null;
        Set<TokenSelection> found = new HashSet<>();
        ArrayDeque<Value> todo = new ArrayDeque<>(List.of(hLast));
        Set<Node> seen = new HashSet<>();
        while (!todo.isEmpty() && seen.size() < MAX_NODES) {
            Value v = todo.poll();
            for (Node n : v.consumers()) {
                if (!seen.add(n)) continue;
                TokenSelection t = pooling(n, v);
                if (t != null) {
                    found.add(t);
                } else if (NORM_OPS.contains(n.opType()) && !reducesTokens(n)) {
                    todo.addAll(n.outputs());
                }
            }
        }
        if (found.size() != 1) return null;
        return found.contains(TokenSelection.CLS)
                ? new SummaryToken.Choice(TokenSelection.CLS, "the model's head reads token 0 of h_L")
                : new SummaryToken.Choice(TokenSelection.MEAN, "the model's head averages the tokens of h_L");
    }

    /** CLS for token 0 taken on axis 1, MEAN for a mean over axis 1, else null. */
    private static TokenSelection pooling(Node n, Value in) {
        switch (n.opType()) {
            case "Gather" -> {
                if (n.input(0) != in || n.intAttribute("axis", 0) != 1 || n.inputs().size() < 2) return null;
                long[] idx = constant(n.input(1));
                return idx != null && idx.length == 1 && idx[0] == 0 ? TokenSelection.CLS : null;
            }
            case "Slice" -> {
                if (n.inputs().size() < 4 || n.input(0) != in) return null;
                long[] starts = constant(n.input(1));
                long[] ends = constant(n.input(2));
                long[] axes = constant(n.input(3));
                boolean first = starts != null && ends != null && axes != null && axes.length == 1 && axes[0] == 1
                        && starts[0] == 0 && ends[0] == 1;
                return first ? TokenSelection.CLS : null;
            }
            case "ReduceMean" -> {
                return reducesTokens(n) ? TokenSelection.MEAN : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A ReduceMean over axis 1 only (the token axis of [batch, tokens, d]). */
    private static boolean reducesTokens(Node n) {
        if (!n.opType().equals("ReduceMean")) return false;
        List<Long> axes = n.intsAttribute("axes");
        if (axes.isEmpty() && n.inputs().size() > 1) {
            long[] a = constant(n.input(1));
            axes = a == null ? List.of() : java.util.Arrays.stream(a).boxed().toList();
        }
        return axes.size() == 1 && (axes.getFirst() == 1 || axes.getFirst() == -2);
    }

    /** Integer values of a small constant (initializer or Constant node), or null. */
    private static long[] constant(Value v) {
        if (v == null) return null;
        TensorProto t = null;
        if (v.isInitializer()) t = v.initializer();
        else if (v.producer() != null && v.producer().opType().equals("Constant")) {
            t = v.producer().attribute("value").map(AttributeProto::getT).orElse(null);
        }
        if (t == null) return null;
        List<Long> out = new ArrayList<>();
        if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
            if (t.getInt64DataCount() > 0) out.addAll(t.getInt64DataList());
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            while (raw.remaining() >= 8) out.add(raw.getLong());
        } else if (t.getDataType() == TensorProto.DataType.INT32_VALUE) {
            for (int i : t.getInt32DataList()) out.add((long) i);
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            while (raw.remaining() >= 4) out.add((long) raw.getInt());
        } else {
            return null;
        }
        return out.size() > 8 ? null : out.stream().mapToLong(Long::longValue).toArray();
    }
}
