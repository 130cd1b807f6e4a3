package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An operator application. Inputs and outputs are {@link Value} objects; a null input is an omitted optional input
 * (an empty name in the file). Inputs change only through {@link #setInput}, which keeps every value's use-list in
 * sync. The node's original {@link NodeProto} is kept as a template, so attributes, doc strings, metadata and fields
 * unknown to rba survive a round trip; only inputs, outputs and name are rewritten when the graph is written.
 */
public final class Node {
    private final NodeProto template;
    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Value> implicitInputs = new ArrayList<>();
    Graph graph;
    /** Position in the file (or creation order for new nodes): the stable key of the topological sort. */
    long order;

    /** {@code name}: the template's, or for a node added to a graph one that is unique there. */
    Node(NodeProto template, String name) {
        this.template = template.toBuilder().clearInput().clearOutput().build();
        this.name = name;
    }

    public String opType() {
        return template.getOpType();
    }

    /** The operator domain; "" and "ai.onnx" both mean the default domain. */
    public String domain() {
        return template.getDomain();
    }

    public boolean isStandardOp(String opType) {
        String d = domain();
        return opType.equals(opType()) && (d.isEmpty() || d.equals("ai.onnx"));
    }

    public String name() {
        return name;
    }

    public Graph graph() {
        return graph;
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    /** Outer-scope values read by subgraph attributes (If/Loop/Scan bodies); they keep such values alive. */
    public List<Value> implicitInputs() {
        return Collections.unmodifiableList(implicitInputs);
    }

    public List<AttributeProto> attributes() {
        return template.getAttributeList();
    }

    public Optional<AttributeProto> attribute(String attributeName) {
        for (AttributeProto a : template.getAttributeList()) {
            if (a.getName().equals(attributeName)) return Optional.of(a);
        }
        return Optional.empty();
    }

    public long intAttribute(String attributeName, long fallback) {
        return attribute(attributeName).map(AttributeProto::getI).orElse(fallback);
    }

    public List<Long> intsAttribute(String attributeName) {
        return attribute(attributeName).map(AttributeProto::getIntsList).orElse(List.of());
    }

    /** Points input slot {@code index} at {@code value} (null = omitted), moving the use from the old value to the new one. */
    public void setInput(int index, Value value) {
        Value old = inputs.get(index);
        if (old == value) return;
        if (old != null) removeUse(old, index);
        inputs.set(index, value);
        if (value != null) value.uses.add(new Use(this, index));
    }

    /** Appends an input slot. */
    public void addInput(Value value) {
        inputs.add(null);
        setInput(inputs.size() - 1, value);
    }

    /** Replaces every input slot that reads {@code old} with {@code replacement}; returns how many slots changed. */
    public int replaceInput(Value old, Value replacement) {
        int n = 0;
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == old) {
                setInput(i, replacement);
                n++;
            }
        }
        for (int k = 0; k < implicitInputs.size(); k++) {
            if (implicitInputs.get(k) == old) {
                removeUse(old, -1 - k);
                implicitInputs.set(k, replacement);
                replacement.uses.add(new Use(this, -1 - k));
                n++;
            }
        }
        return n;
    }

    void addImplicitInput(Value value) {
        implicitInputs.add(value);
        value.uses.add(new Use(this, -implicitInputs.size()));
    }

    /** Drops every input and implicit input (their use-lists forget this node). Used when the node leaves the graph. */
    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) setInput(i, null);
        for (int k = 0; k < implicitInputs.size(); k++) removeUse(implicitInputs.get(k), -1 - k);
        implicitInputs.clear();
    }

    void addOutput(Value value) {
        if (value.producer != null) {
            throw new IllegalStateException("value '" + value.name() + "' is already produced by node '" + value.producer.name() + "'");
        }
        value.producer = this;
        value.producerIndex = outputs.size();
        outputs.add(value);
    }

    private void removeUse(Value value, int index) {
        for (int u = 0; u < value.uses.size(); u++) {
            Use use = value.uses.get(u);
            if (use.node() == this && use.index() == index) {
                value.uses.remove(u);
                return;
            }
        }
        throw new IllegalStateException("use-list of '" + value.name() + "' lost slot " + index + " of node '" + name + "'");
    }

    /** The node as written in a file: the template with current names for inputs, outputs and the node itself. */
    NodeProto toProto() {
        NodeProto.Builder b = template.toBuilder();
        for (Value v : inputs) b.addInput(v == null ? "" : v.name());
        for (Value v : outputs) b.addOutput(v.name());
        if (name != null && !name.isEmpty()) b.setName(name); else b.clearName();
        return b.build();
    }

    @Override
    public String toString() {
        return opType() + "(" + name + ")";
    }
}
