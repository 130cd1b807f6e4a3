package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph of {@link Node}s over {@link Value}s with identity-based use-lists. Built from a {@link GraphProto} by
 * {@link #fromProto}, written back by {@link #toProto}; the parts of the proto that rba does not model (name, doc
 * string, sparse initializers, quantization annotations, metadata, unknown fields) are kept in a template and written
 * back unchanged. Node order is the order of {@link #nodes()}; keep it topological ({@link TopologicalSort}).
 */
public final class Graph {
    private final GraphProto template;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Value> initializers = new ArrayList<>();
    /** Values that carried value_info in the file, in file order, so an unchanged graph is written back identically. */
    private final List<Value> valueInfoOrder = new ArrayList<>();
    private long nextOrder;
    private int nameCounter;

    private Graph(GraphProto template) {
        this.template = template.toBuilder().clearNode().clearInitializer().clearInput().clearOutput().clearValueInfo().build();
    }

    /** An empty graph, for tests and builders. */
    public static Graph empty(String name) {
        return new Graph(GraphProto.newBuilder().setName(name).build());
    }

    public static Graph fromProto(GraphProto proto) {
        Graph g = new Graph(proto);
        Map<String, Value> byName = new HashMap<>();
        for (ValueInfoProto vi : proto.getInputList()) {
            Value v = byName.computeIfAbsent(vi.getName(), Value::new);
            v.info = vi;
            g.inputs.add(v);
        }
        for (TensorProto t : proto.getInitializerList()) {
            Value v = byName.computeIfAbsent(t.getName(), Value::new);
            v.setInitializer(t);
            g.initializers.add(v);
        }
        for (NodeProto np : proto.getNodeList()) {
            Node n = new Node(np, np.getName());
            n.graph = g;
            n.order = g.nextOrder++;
            for (String in : np.getInputList()) {
                n.addInput(in.isEmpty() ? null : byName.computeIfAbsent(in, Value::new));
            }
            for (String outerName : SubgraphScope.outerReferences(np)) {
                n.addImplicitInput(byName.computeIfAbsent(outerName, Value::new));
            }
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) {
                    n.addOutput(new Value(""));   // an omitted optional output: kept anonymous
                    continue;
                }
                Value v = byName.computeIfAbsent(out, Value::new);
                if (v.producer != null || v.isInitializer()) {
                    throw new InvalidGraphException("tensor '" + out + "' is defined twice (by node '" + np.getName() + "' and earlier)");
                }
                n.addOutput(v);
            }
            g.nodes.add(n);
        }
        for (ValueInfoProto vi : proto.getValueInfoList()) {
            Value v = byName.get(vi.getName());
            if (v == null) continue;                    // value_info of a tensor nothing produces: dropped, it describes nothing
            if (v.info == null) v.info = vi;
            g.valueInfoOrder.add(v);
        }
        for (ValueInfoProto vi : proto.getOutputList()) {
            Value v = byName.computeIfAbsent(vi.getName(), Value::new);
            if (v.info == null || !v.info.hasType()) v.info = vi;
            g.outputs.add(v);
            g.outputInfos.put(v, vi);
        }
        return g;
    }

    /** The value_info written for each graph output, as the file had it (outputs keep their own doc strings). */
    private final Map<Value, ValueInfoProto> outputInfos = new IdentityHashMap<>();

    public GraphProto toProto() {
        GraphProto.Builder b = template.toBuilder();
        for (Value v : inputs) b.addInput(infoFor(v));
        for (Value v : outputs) {
            ValueInfoProto declared = outputInfos.get(v);
            ValueInfoProto info = declared != null && declared.getName().equals(v.name()) ? declared : infoFor(v);
            b.addOutput(info);
        }
        for (Value v : initializers) {
            TensorProto t = v.initializer();
            b.addInitializer(t.getName().equals(v.name()) ? t : t.toBuilder().setName(v.name()).build());
        }
        for (Node n : nodes) b.addNode(n.toProto());
        Set<Value> interfaceValues = Collections.newSetFromMap(new IdentityHashMap<>());
        interfaceValues.addAll(inputs);
        interfaceValues.addAll(outputs);
        Set<Value> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value v : valueInfoOrder) {
            if (isLive(v) && !interfaceValues.contains(v) && written.add(v)) b.addValueInfo(infoFor(v));
        }
        for (Node n : nodes) {
            for (Value v : n.outputs()) {
                if (v.info() != null && v.info().hasType() && !interfaceValues.contains(v) && written.add(v)) b.addValueInfo(infoFor(v));
            }
        }
        return b.build();
    }

    private boolean isLive(Value v) {
        return v.producer != null ? v.producer.graph == this : v.isInitializer() || !v.uses.isEmpty();
    }

    private static ValueInfoProto infoFor(Value v) {
        ValueInfoProto info = v.info();
        if (info == null) {
            ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
            if (v.type() != null) b.setType(v.type());
            return b.build();
        }
        return info.getName().equals(v.name()) ? info : info.toBuilder().setName(v.name()).build();
    }

    public String name() {
        return template.getName();
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public List<Value> initializers() {
        return Collections.unmodifiableList(initializers);
    }

    public boolean isGraphInput(Value v) {
        return Value.containsIdentity(inputs, v);
    }

    public boolean isGraphOutput(Value v) {
        return Value.containsIdentity(outputs, v);
    }

    /** Every value reachable from the graph: inputs, initializers, node outputs, in that order. */
    public List<Value> values() {
        LinkedHashSet<Value> all = new LinkedHashSet<>();
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value v : inputs) if (seen.add(v)) all.add(v);
        for (Value v : initializers) if (seen.add(v)) all.add(v);
        for (Node n : nodes) for (Value v : n.outputs()) if (seen.add(v)) all.add(v);
        return new ArrayList<>(all);
    }

    /** Finds a value by its current name (a linear scan: names are for people and files, not for graph logic). */
    public Value findValue(String valueName) {
        for (Value v : values()) if (v.name().equals(valueName)) return v;
        return null;
    }

    /** A name not used by any value or node of this graph, derived from {@code base}. */
    public String uniqueName(String base) {
        Set<String> used = new HashSet<>();
        for (Value v : values()) used.add(v.name());
        for (Node n : nodes) used.add(n.name());
        if (!used.contains(base)) return base;
        String candidate;
        do {
            candidate = base + "_" + (++nameCounter);
        } while (used.contains(candidate));
        return candidate;
    }

    /** Adds a new constant initializer; its value gets the tensor's name made unique. */
    public Value addInitializer(TensorProto tensor) {
        Value v = new Value(uniqueName(tensor.getName()));
        v.setInitializer(tensor.toBuilder().setName(v.name()).build());
        initializers.add(v);
        return v;
    }

    public void removeInitializer(Value v) {
        if (!v.uses.isEmpty()) throw new IllegalStateException("initializer '" + v.name() + "' still has " + v.uses.size() + " uses");
        initializers.removeIf(x -> x == v);
    }

    /**
     * Creates a node {@code opType(inputs) -> outputCount new values} and inserts it right before {@code before}
     * (or at the end when null), so that the order stays topological when its inputs are defined earlier.
     */
    public Node addNode(NodeProto template, List<Value> nodeInputs, List<String> outputNames, Node before) {
        Node n = new Node(template, template.getName().isEmpty() ? "" : uniqueName(template.getName()));
        n.graph = this;
        n.order = nextOrder++;
        for (Value v : nodeInputs) n.addInput(v);
        for (String outName : outputNames) {
            Value v = new Value(uniqueName(outName));
            n.addOutput(v);
        }
        int at = before == null ? nodes.size() : indexOf(before);
        if (at < 0) throw new IllegalArgumentException("node '" + before.name() + "' is not in graph '" + name() + "'");
        nodes.add(at, n);
        if (before != null) n.order = before.order;   // sorts just before it in a stable topological sort
        return n;
    }

    /** Removes a node whose outputs nobody uses any more; its inputs forget it. */
    public void removeNode(Node n) {
        for (Value out : n.outputs()) {
            if (!out.uses.isEmpty() || isGraphOutput(out)) {
                throw new IllegalStateException("node '" + n.name() + "' cannot be removed: its output '" + out.name() + "' is still used");
            }
        }
        n.detachInputs();
        int at = indexOf(n);
        if (at >= 0) nodes.remove(at);
        n.graph = null;
    }

    /**
     * Points every use of {@code old} at {@code replacement}. When {@code old} is a graph output it is replaced there
     * too, and {@code replacement} takes over the output's name, because the graph's interface is kept by name.
     */
    public void replaceAllUses(Value old, Value replacement) {
        for (Node consumer : old.consumers()) consumer.replaceInput(old, replacement);
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == old) {
                ValueInfoProto declared = outputInfos.remove(old);
                String interfaceName = old.name();
                old.setName(uniqueName(interfaceName + "_replaced"));
                replacement.setName(interfaceName);
                if (declared != null) outputInfos.put(replacement, declared);
                outputs.set(i, replacement);
            }
        }
    }

    /** Adds {@code v} as a graph output (for exposing internal tensors); its value_info must carry a type. */
    public void addOutput(Value v) {
        if (!isGraphOutput(v)) outputs.add(v);
    }

    public void removeOutput(Value v) {
        outputs.removeIf(x -> x == v);
        outputInfos.remove(v);
    }

    /** Replaces the node list with the same nodes in a new order (used by {@link TopologicalSort}). */
    void reorder(List<Node> newOrder) {
        if (newOrder.size() != nodes.size()) throw new IllegalArgumentException("reorder must keep every node");
        nodes.clear();
        nodes.addAll(newOrder);
    }

    void dropNodes(Set<Node> dead) {
        for (Node n : dead) n.detachInputs();
        nodes.removeIf(dead::contains);
        for (Node n : dead) n.graph = null;
    }

    void dropInitializers(Set<Value> dead) {
        initializers.removeIf(dead::contains);
    }

    private int indexOf(Node n) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i) == n) return i;
        return -1;
    }

    /** Value-info order from the file, exposed for passes that must not lose it. */
    List<Value> valueInfoOrder() {
        return valueInfoOrder;
    }

    static boolean hasSubgraph(NodeProto np) {
        for (AttributeProto a : np.getAttributeList()) if (a.hasG() || a.getGraphsCount() > 0) return true;
        return false;
    }
}
