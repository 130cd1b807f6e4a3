package dev.rba.onnx.ir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Kahn's algorithm keyed on each node's original position: among the nodes that are ready, the one that came first in
 * the file goes first, so an already sorted graph keeps its order exactly and a patched one moves as little as possible.
 */
public final class TopologicalSort {
    private TopologicalSort() {
    }

    public static PassResult run(Graph graph) {
        List<Node> before = graph.nodes();
        Map<Node, Integer> pending = new IdentityHashMap<>();
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < before.size(); i++) position.put(before.get(i), i);
        for (Node n : before) {
            int deps = 0;
            for (Value in : allInputs(n)) if (in != null && in.producer() != null && in.producer().graph() == graph) deps++;
            pending.put(n, deps);
        }
        // Stable key: the original file order, with the current list position breaking ties between inserted nodes.
        PriorityQueue<Node> ready = new PriorityQueue<>(Comparator.<Node>comparingLong(n -> n.order).thenComparingInt(position::get));
        for (Node n : before) if (pending.get(n) == 0) ready.add(n);
        List<Node> sorted = new ArrayList<>(before.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            sorted.add(n);
            for (Value out : n.outputs()) {
                for (Use u : out.uses()) {
                    Node c = u.node();
                    if (c.graph() != graph) continue;
                    int left = pending.merge(c, -1, Integer::sum);
                    if (left == 0) ready.add(c);
                }
            }
        }
        if (sorted.size() != before.size()) {
            for (Node n : before) {
                if (pending.get(n) > 0) throw new InvalidGraphException("graph '" + graph.name() + "' has a cycle through node '" + n.name() + "' (" + n.opType() + ")");
            }
        }
        boolean modified = false;
        for (int i = 0; i < sorted.size(); i++) modified |= sorted.get(i) != before.get(i);
        graph.reorder(sorted);
        return new PassResult(modified, modified ? "reordered nodes" : "already sorted");
    }

    static List<Value> allInputs(Node n) {
        List<Value> all = new ArrayList<>(n.inputs());
        all.addAll(n.implicitInputs());
        return all;
    }
}
