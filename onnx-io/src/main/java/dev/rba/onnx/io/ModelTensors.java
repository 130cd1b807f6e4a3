package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.FunctionProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.SparseTensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TrainingInfoProto;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every TensorProto a model holds, wherever ONNX allows one: graph initializers and sparse initializers, node
 * attributes (t, tensors, sparse_tensor, sparse_tensors), subgraphs of control-flow nodes, functions (nodes and
 * default attributes) and training_info graphs. External data may sit in any of them, so loading and saving must
 * visit them all.
 *
 * <p>{@link #map} rebuilds only the messages whose tensors changed and returns the very same instance otherwise,
 * so an untouched model serializes to the bytes it was parsed from (unknown fields included).
 */
public final class ModelTensors {
    private ModelTensors() {
    }

    /** Calls {@code visitor} with every tensor of the model, in a fixed order (the one {@link #map} uses). */
    public static void forEach(ModelProto model, Consumer<TensorProto> visitor) {
        map(model, t -> {
            visitor.accept(t);
            return t;
        });
    }

    /** The model with every tensor replaced by {@code f(tensor)}; the same instance when f changed nothing. */
    public static ModelProto map(ModelProto model, UnaryOperator<TensorProto> f) {
        ModelProto.Builder b = null;
        if (model.hasGraph()) {
            GraphProto g = mapGraph(model.getGraph(), f);
            if (g != model.getGraph()) {
                b = model.toBuilder().setGraph(g);
            }
        }
        for (int i = 0; i < model.getTrainingInfoCount(); i++) {
            TrainingInfoProto ti = model.getTrainingInfo(i);
            TrainingInfoProto.Builder tb = null;
            if (ti.hasInitialization()) {
                GraphProto g = mapGraph(ti.getInitialization(), f);
                if (g != ti.getInitialization()) {
                    tb = ti.toBuilder().setInitialization(g);
                }
            }
            if (ti.hasAlgorithm()) {
                GraphProto g = mapGraph(ti.getAlgorithm(), f);
                if (g != ti.getAlgorithm()) {
                    tb = (tb == null ? ti.toBuilder() : tb).setAlgorithm(g);
                }
            }
            if (tb != null) {
                b = (b == null ? model.toBuilder() : b).setTrainingInfo(i, tb);
            }
        }
        for (int i = 0; i < model.getFunctionsCount(); i++) {
            FunctionProto fn = model.getFunctions(i);
            FunctionProto mapped = mapFunction(fn, f);
            if (mapped != fn) {
                b = (b == null ? model.toBuilder() : b).setFunctions(i, mapped);
            }
        }
        return b == null ? model : b.build();
    }

    private static FunctionProto mapFunction(FunctionProto fn, UnaryOperator<TensorProto> f) {
        FunctionProto.Builder b = null;
        for (int i = 0; i < fn.getNodeCount(); i++) {
            NodeProto n = mapNode(fn.getNode(i), f);
            if (n != fn.getNode(i)) {
                b = (b == null ? fn.toBuilder() : b).setNode(i, n);
            }
        }
        for (int i = 0; i < fn.getAttributeProtoCount(); i++) {
            AttributeProto a = mapAttribute(fn.getAttributeProto(i), f);
            if (a != fn.getAttributeProto(i)) {
                b = (b == null ? fn.toBuilder() : b).setAttributeProto(i, a);
            }
        }
        return b == null ? fn : b.build();
    }

    private static GraphProto mapGraph(GraphProto g, UnaryOperator<TensorProto> f) {
        GraphProto.Builder b = null;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = f.apply(g.getInitializer(i));
            if (t != g.getInitializer(i)) {
                b = (b == null ? g.toBuilder() : b).setInitializer(i, t);
            }
        }
        for (int i = 0; i < g.getSparseInitializerCount(); i++) {
            SparseTensorProto s = mapSparse(g.getSparseInitializer(i), f);
            if (s != g.getSparseInitializer(i)) {
                b = (b == null ? g.toBuilder() : b).setSparseInitializer(i, s);
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = mapNode(g.getNode(i), f);
            if (n != g.getNode(i)) {
                b = (b == null ? g.toBuilder() : b).setNode(i, n);
            }
        }
        return b == null ? g : b.build();
    }

    private static NodeProto mapNode(NodeProto n, UnaryOperator<TensorProto> f) {
        NodeProto.Builder b = null;
        for (int i = 0; i < n.getAttributeCount(); i++) {
            AttributeProto a = mapAttribute(n.getAttribute(i), f);
            if (a != n.getAttribute(i)) {
                b = (b == null ? n.toBuilder() : b).setAttribute(i, a);
            }
        }
        return b == null ? n : b.build();
    }

    private static AttributeProto mapAttribute(AttributeProto a, UnaryOperator<TensorProto> f) {
        AttributeProto.Builder b = null;
        if (a.hasT()) {
            TensorProto t = f.apply(a.getT());
            if (t != a.getT()) {
                b = a.toBuilder().setT(t);
            }
        }
        for (int i = 0; i < a.getTensorsCount(); i++) {
            TensorProto t = f.apply(a.getTensors(i));
            if (t != a.getTensors(i)) {
                b = (b == null ? a.toBuilder() : b).setTensors(i, t);
            }
        }
        if (a.hasSparseTensor()) {
            SparseTensorProto s = mapSparse(a.getSparseTensor(), f);
            if (s != a.getSparseTensor()) {
                b = (b == null ? a.toBuilder() : b).setSparseTensor(s);
            }
        }
        for (int i = 0; i < a.getSparseTensorsCount(); i++) {
            SparseTensorProto s = mapSparse(a.getSparseTensors(i), f);
            if (s != a.getSparseTensors(i)) {
                b = (b == null ? a.toBuilder() : b).setSparseTensors(i, s);
            }
        }
        if (a.hasG()) {
            GraphProto g = mapGraph(a.getG(), f);
            if (g != a.getG()) {
                b = (b == null ? a.toBuilder() : b).setG(g);
            }
        }
        for (int i = 0; i < a.getGraphsCount(); i++) {
            GraphProto g = mapGraph(a.getGraphs(i), f);
            if (g != a.getGraphs(i)) {
                b = (b == null ? a.toBuilder() : b).setGraphs(i, g);
            }
        }
        return b == null ? a : b.build();
    }

    private static SparseTensorProto mapSparse(SparseTensorProto s, UnaryOperator<TensorProto> f) {
        SparseTensorProto.Builder b = null;
        if (s.hasValues()) {
            TensorProto t = f.apply(s.getValues());
            if (t != s.getValues()) {
                b = s.toBuilder().setValues(t);
            }
        }
        if (s.hasIndices()) {
            TensorProto t = f.apply(s.getIndices());
            if (t != s.getIndices()) {
                b = (b == null ? s.toBuilder() : b).setIndices(t);
            }
        }
        return b == null ? s : b.build();
    }
}
