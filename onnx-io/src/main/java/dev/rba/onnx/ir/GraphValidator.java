package dev.rba.onnx.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the rules every pass must keep: each value is defined once (graph input, initializer or one node output),
 * every node input is defined before the node, names are unique, use-lists match node inputs, and graph outputs exist.
 */
public final class GraphValidator {
    private GraphValidator() {
    }

    /** Every broken rule, one line each; empty when the graph is valid. */
    public static List<String> problems(Graph graph) {
        List<String> problems = new ArrayList<>();
        Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Value> names = new HashMap<>();
        for (Value v : graph.inputs()) define(v, "graph input", defined, names, problems);
        for (Value v : graph.initializers()) {
            if (!graph.isGraphInput(v)) define(v, "initializer", defined, names, problems);
        }
        for (Node n : graph.nodes()) {
            for (Value in : TopologicalSort.allInputs(n)) {
                if (in != null && !defined.contains(in)) {
                    boolean nowhere = in.producer() == null && !graph.isGraphInput(in) && !in.isInitializer();
                    problems.add("node '" + n.name() + "' (" + n.opType() + ") reads '" + in.name() + (nowhere
                            ? "', which no graph input, initializer or node output defines" : "' before it is defined"));
                }
            }
            for (Value out : n.outputs()) {
                if (out.name().isEmpty()) continue;
                if (out.producer() != n) problems.add("value '" + out.name() + "' does not name node '" + n.name() + "' as its producer");
                define(out, "output of node '" + n.name() + "'", defined, names, problems);
            }
            List<Value> ins = n.inputs();
            for (int i = 0; i < ins.size(); i++) {
                Value in = ins.get(i);
                if (in != null && !in.uses().contains(new Use(n, i))) {
                    problems.add("use-list of '" + in.name() + "' misses input " + i + " of node '" + n.name() + "'");
                }
            }
        }
        for (Value v : graph.values()) {
            for (Use u : v.uses()) {
                Node n = u.node();
                Value actual = u.isImplicit() ? n.implicitInputs().get(-1 - u.index()) : n.input(u.index());
                if (actual != v) problems.add("use-list of '" + v.name() + "' names slot " + u.index() + " of node '" + n.name() + "', which reads something else");
                if (n.graph() != graph) problems.add("value '" + v.name() + "' is used by node '" + n.name() + "', which is not in the graph");
            }
        }
        for (Value out : graph.outputs()) {
            if (!defined.contains(out)) problems.add("graph output '" + out.name() + "' is not defined");
        }
        return problems;
    }

    /** Throws {@link InvalidGraphException} listing the first problems when the graph is invalid. */
    public static void check(Graph graph) {
        List<String> p = problems(graph);
        if (!p.isEmpty()) {
            throw new InvalidGraphException("invalid graph '" + graph.name() + "': " + String.join("; ", p.subList(0, Math.min(5, p.size())))
                    + (p.size() > 5 ? " (and " + (p.size() - 5) + " more)" : ""));
        }
    }

    private static void define(Value v, String what, Set<Value> defined, Map<String, Value> names, List<String> problems) {
        if (!defined.add(v)) {
            problems.add("value '" + v.name() + "' is defined twice (again as " + what + ")");
            return;
        }
        Value other = names.putIfAbsent(v.name(), v);
        if (other != null && other != v) problems.add("two different values are both named '" + v.name() + "' (" + what + ")");
    }
}
