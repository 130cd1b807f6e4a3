package dev.rba.onnx.rewrite;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Value;

/**
 * Replace the blocks between two residual-stream boundaries: {@code from} is h_i (input of block i) and {@code to} is
 * h_{j+1} (output of block j). The span becomes {@code h_{j+1} = h_i · T (+ bias)} with {@code t} the d×d matrix in
 * row-major order (t[r*d + c] = T[r][c]) and {@code bias} of length d or null. {@code label} names the span in
 * messages and reports, e.g. "blocks 2-4 (h_2 -> h_5)".
 */
public record SpanReplacement(Value from, Value to, float[] t, float[] bias, String label) {
    public SpanReplacement {
        if (from == null || to == null) throw new IllegalArgumentException("span " + label + ": both boundary values are needed");
        int d = (int) Math.round(Math.sqrt(t.length));
        if (d == 0 || (long) d * d != t.length) {
            throw new IllegalArgumentException("span " + label + ": T has " + t.length + " entries, not d*d for any d; give a square matrix, row-major");
        }
        if (bias != null && bias.length != d) {
            throw new IllegalArgumentException("span " + label + ": bias has " + bias.length + " entries, T is " + d + "x" + d);
        }
        if (label == null) label = from.name() + " -> " + to.name();
    }

    public SpanReplacement(Value from, Value to, float[] t, float[] bias) {
        this(from, to, t, bias, from.name() + " -> " + to.name());
    }

    /** The span between the tensors named {@code fromName} and {@code toName} of {@code graph}. */
    public static SpanReplacement byName(Graph graph, String fromName, String toName, float[] t, float[] bias) {
        Value from = graph.findValue(fromName);
        Value to = graph.findValue(toName);
        if (from == null) throw new IllegalArgumentException("tensor '" + fromName + "' is not in graph '" + graph.name() + "'; give the name of h_i");
        if (to == null) throw new IllegalArgumentException("tensor '" + toName + "' is not in graph '" + graph.name() + "'; give the name of h_{j+1}");
        return new SpanReplacement(from, to, t, bias, fromName + " -> " + toName);
    }

    public int d() {
        return (int) Math.round(Math.sqrt(t.length));
    }
}
