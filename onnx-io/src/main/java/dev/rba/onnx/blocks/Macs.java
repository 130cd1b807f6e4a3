package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiply-accumulates of the operators that dominate a transformer's cost: MatMul (weights and the activation x
 * activation attention products alike), Gemm and Conv. Element-wise work, softmax and normalisation are not counted.
 */
final class Macs {
    private Macs() {
    }

    static boolean counts(Node n) {
        return n.isStandardOp("MatMul") || n.isStandardOp("Gemm") || n.isStandardOp("Conv");
    }

    /** The values whose shapes {@link #of} needs: the activation inputs and the output of every counted node. */
    static List<Value> operands(Iterable<Node> nodes) {
        List<Value> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!counts(n)) continue;
            for (Value in : n.inputs()) if (in != null && !in.isInitializer()) out.add(in);
            out.add(n.output(0));
        }
        return out;
    }

    /** MACs of one node over the whole batch the shapes describe; -1 when a shape is unknown; 0 for other ops. */
    static long of(Node n, ValueShapes shapes) {
        if (!counts(n)) return 0;
        long[] out = shapes.of(n.output(0));
        if (out == null) return -1;
        long outElems = product(out, 0, out.length);
        if (n.isStandardOp("MatMul")) {
            long[] a = shapes.of(n.input(0));
            if (a == null || a.length == 0) return -1;
            return outElems * a[a.length - 1];       // each output element is a K-long dot product
        }
        if (n.isStandardOp("Gemm")) {
            long[] a = shapes.of(n.input(0));
            if (a == null || a.length != 2) return -1;
            long k = n.intAttribute("transA", 0) != 0 ? a[0] : a[1];
            return outElems * k;
        }
        long[] w = shapes.of(n.input(1));              // Conv weight [Cout, Cin/group, k1, k2, ...]
        if (w == null || w.length < 2) return -1;
        return outElems * product(w, 1, w.length);
    }

    private static long product(long[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= d[i];
        return p;
    }
}
