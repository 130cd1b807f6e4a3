package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Value;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Classifies every value of a graph as constant, shape-derived or data. Exports compute reshape targets from
 * {@code Shape(x)}: following those edges would make {@code x} "bypass" the rest of the block and hide the residual
 * stream's cut points, so block discovery follows data values only.
 *
 * <p>A value is constant when it is an initializer or every input of its producer is constant (Constant nodes have
 * none). It is shape-derived when it comes out of Shape/Size, or when its producer's non-constant inputs are all
 * shape-derived (a Gather of a position table indexed by {@code Range(Shape(x))} is such a value too).
 */
final class DataFlowValues {
    private final Set<Value> constant = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Value> shapeDerived = Collections.newSetFromMap(new IdentityHashMap<>());

    private DataFlowValues() {
    }

    /** One pass over the nodes in their (topological) order. */
    static DataFlowValues of(Graph graph) {
        DataFlowValues d = new DataFlowValues();
        // A graph input is data even when an initializer of the same name gives it a default (IR < 4 files).
        Set<Value> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
        inputs.addAll(graph.inputs());
        for (Value v : graph.initializers()) if (!inputs.contains(v)) d.constant.add(v);
        for (Node n : graph.nodes()) {
            boolean anyData = false;
            boolean anyShape = false;
            for (Value in : n.inputs()) {
                if (in == null || d.constant.contains(in)) continue;
                if (d.shapeDerived.contains(in)) anyShape = true;
                else anyData = true;
            }
            for (Value in : n.implicitInputs()) {
                if (!d.constant.contains(in) && !d.shapeDerived.contains(in)) anyData = true;
            }
            Set<Value> target;
            if (isShapeOp(n)) target = d.shapeDerived;
            else if (anyData) target = null;
            else if (anyShape) target = d.shapeDerived;
            else target = d.constant;
            if (target != null) target.addAll(n.outputs());
        }
        return d;
    }

    static boolean isShapeOp(Node n) {
        return n.isStandardOp("Shape") || n.isStandardOp("Size");
    }

    boolean isConstant(Value v) {
        return constant.contains(v);
    }

    boolean isShapeDerived(Value v) {
        return shapeDerived.contains(v);
    }

    /** Whether {@code v} carries tensor data that block discovery follows (not a constant, not a shape computation). */
    boolean isData(Value v) {
        return v != null && !constant.contains(v) && !shapeDerived.contains(v);
    }
}
