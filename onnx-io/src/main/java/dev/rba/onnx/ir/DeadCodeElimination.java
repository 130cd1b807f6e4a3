package dev.rba.onnx.ir;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Removes nodes whose outputs cannot reach a graph output, then initializers nothing reads. The graph's inputs and
 * outputs are its interface and are always kept, even when unused.
 */
public final class DeadCodeElimination {
    private DeadCodeElimination() {
    }

    public static PassResult run(Graph graph) {
        Set<Node> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> work = new ArrayDeque<>(graph.outputs());
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (!seen.add(v)) continue;
            Node p = v.producer();
            if (p != null && p.graph() == graph && live.add(p)) {
                for (Value in : p.inputs()) if (in != null) work.push(in);
                work.addAll(p.implicitInputs());
            }
        }
        Set<Node> dead = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : graph.nodes()) if (!live.contains(n)) dead.add(n);
        graph.dropNodes(dead);

        Set<Value> unusedInitializers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value init : graph.initializers()) {
            if (init.uses().isEmpty() && !graph.isGraphOutput(init) && !graph.isGraphInput(init)) unusedInitializers.add(init);
        }
        graph.dropInitializers(unusedInitializers);
        boolean modified = !dead.isEmpty() || !unusedInitializers.isEmpty();
        return new PassResult(modified, "removed " + dead.size() + " dead nodes and " + unusedInitializers.size() + " unused initializers");
    }
}
