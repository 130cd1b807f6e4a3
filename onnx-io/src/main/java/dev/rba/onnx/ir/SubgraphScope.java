package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Names that subgraph attributes (If/Loop/Scan bodies) read from the enclosing scope. rba does not edit subgraphs, but
 * it must know these reads, or dead-code removal would delete values a subgraph needs.
 */
final class SubgraphScope {
    private SubgraphScope() {
    }

    static Set<String> outerReferences(NodeProto node) {
        Set<String> refs = new LinkedHashSet<>();
        if (!Graph.hasSubgraph(node)) return refs;
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) collect(a.getG(), new HashSet<>(), refs);
            for (GraphProto g : a.getGraphsList()) collect(g, new HashSet<>(), refs);
        }
        return refs;
    }

    private static void collect(GraphProto g, Set<String> enclosingDefined, Set<String> refs) {
        Set<String> defined = new HashSet<>(enclosingDefined);
        for (ValueInfoProto vi : g.getInputList()) defined.add(vi.getName());
        for (TensorProto t : g.getInitializerList()) defined.add(t.getName());
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty() && !defined.contains(in)) refs.add(in);
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collect(a.getG(), defined, refs);
                for (GraphProto sub : a.getGraphsList()) collect(sub, defined, refs);
            }
            defined.addAll(n.getOutputList());
        }
        for (ValueInfoProto vi : g.getOutputList()) if (!defined.contains(vi.getName())) refs.add(vi.getName());
    }
}
