package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tensor in the graph: produced by at most one node (or a graph input, or an initializer) and used by any number of
 * node inputs. Values are identified by object identity, never by name; the name only matters when the graph is
 * written out. The use-list is maintained by {@link Node} methods, so it is always in sync with node inputs.
 */
public final class Value {
    private String name;
    ValueInfoProto info;                  // type, doc string, metadata as the file had them (may be null); set by Graph
    private TensorProto initializer;      // non-null when this value is a constant initializer
    Node producer;
    int producerIndex = -1;
    final List<Use> uses = new ArrayList<>();

    Value(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Renames the value; the owning graph checks uniqueness when it is written. */
    public void setName(String name) {
        this.name = name;
    }

    /** The node that produces this value, or null for graph inputs and initializers. */
    public Node producer() {
        return producer;
    }

    public int producerIndex() {
        return producerIndex;
    }

    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    /** Distinct consumer nodes in use order. */
    public List<Node> consumers() {
        List<Node> out = new ArrayList<>();
        for (Use u : uses) {
            if (!containsIdentity(out, u.node())) out.add(u.node());
        }
        return out;
    }

    public boolean isInitializer() {
        return initializer != null;
    }

    public TensorProto initializer() {
        return initializer;
    }

    /** Makes this value a constant (or replaces its data); a value with a producer cannot be an initializer. */
    public void setInitializer(TensorProto tensor) {
        if (tensor != null && producer != null) {
            throw new IllegalStateException("value '" + name + "' is produced by node '" + producer.name() + "' and cannot also be an initializer");
        }
        this.initializer = tensor;
    }

    public ValueInfoProto info() {
        return info;
    }

    /** The declared type, from value_info, a graph input/output, or an initializer's dtype and dims; null if unknown. */
    public TypeProto type() {
        if (info != null && info.hasType()) return info.getType();
        if (initializer != null) return Types.ofTensor(initializer);
        return null;
    }

    /** Sets the declared type, keeping the rest of the value info. */
    public void setType(TypeProto type) {
        ValueInfoProto.Builder b = info == null ? ValueInfoProto.newBuilder() : info.toBuilder();
        this.info = b.setType(type).build();
    }

    @Override
    public String toString() {
        return "Value(" + name + ")";
    }

    static boolean containsIdentity(List<?> list, Object o) {
        for (Object x : list) if (x == o) return true;
        return false;
    }
}
