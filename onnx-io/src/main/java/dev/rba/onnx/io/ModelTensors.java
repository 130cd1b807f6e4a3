package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.FunctionProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.SparseTensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TrainingInfoProto;

import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
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
        Rebuild<ModelProto, ModelProto.Builder> m = new Rebuild<>(model, ModelProto::toBuilder);
        m.field(model.hasGraph(), model::getGraph, g -> mapGraph(g, f), ModelProto.Builder::setGraph);
        m.each(model.getTrainingInfoCount(), model::getTrainingInfo, ti -> mapTrainingInfo(ti, f),
                ModelProto.Builder::setTrainingInfo);
        m.each(model.getFunctionsCount(), model::getFunctions, fn -> mapFunction(fn, f), ModelProto.Builder::setFunctions);
        return m.result(ModelProto.Builder::build);
    }

    private static TrainingInfoProto mapTrainingInfo(TrainingInfoProto ti, UnaryOperator<TensorProto> f) {
        Rebuild<TrainingInfoProto, TrainingInfoProto.Builder> m = new Rebuild<>(ti, TrainingInfoProto::toBuilder);
        m.field(ti.hasInitialization(), ti::getInitialization, g -> mapGraph(g, f),
                TrainingInfoProto.Builder::setInitialization);
        m.field(ti.hasAlgorithm(), ti::getAlgorithm, g -> mapGraph(g, f), TrainingInfoProto.Builder::setAlgorithm);
        return m.result(TrainingInfoProto.Builder::build);
    }

    private static FunctionProto mapFunction(FunctionProto fn, UnaryOperator<TensorProto> f) {
        Rebuild<FunctionProto, FunctionProto.Builder> m = new Rebuild<>(fn, FunctionProto::toBuilder);
        m.each(fn.getNodeCount(), fn::getNode, n -> mapNode(n, f), FunctionProto.Builder::setNode);
        m.each(fn.getAttributeProtoCount(), fn::getAttributeProto, a -> mapAttribute(a, f),
                FunctionProto.Builder::setAttributeProto);
        return m.result(FunctionProto.Builder::build);
    }

    private static GraphProto mapGraph(GraphProto g, UnaryOperator<TensorProto> f) {
        Rebuild<GraphProto, GraphProto.Builder> m = new Rebuild<>(g, GraphProto::toBuilder);
        m.each(g.getInitializerCount(), g::getInitializer, f, GraphProto.Builder::setInitializer);
        m.each(g.getSparseInitializerCount(), g::getSparseInitializer, s -> mapSparse(s, f),
                GraphProto.Builder::setSparseInitializer);
        m.each(g.getNodeCount(), g::getNode, n -> mapNode(n, f), GraphProto.Builder::setNode);
        return m.result(GraphProto.Builder::build);
    }

    private static NodeProto mapNode(NodeProto n, UnaryOperator<TensorProto> f) {
        Rebuild<NodeProto, NodeProto.Builder> m = new Rebuild<>(n, NodeProto::toBuilder);
        m.each(n.getAttributeCount(), n::getAttribute, a -> mapAttribute(a, f), NodeProto.Builder::setAttribute);
        return m.result(NodeProto.Builder::build);
    }

    private static AttributeProto mapAttribute(AttributeProto a, UnaryOperator<TensorProto> f) {
        Rebuild<AttributeProto, AttributeProto.Builder> m = new Rebuild<>(a, AttributeProto::toBuilder);
        m.field(a.hasT(), a::getT, f, AttributeProto.Builder::setT);
        m.each(a.getTensorsCount(), a::getTensors, f, AttributeProto.Builder::setTensors);
        m.field(a.hasSparseTensor(), a::getSparseTensor, s -> mapSparse(s, f), AttributeProto.Builder::setSparseTensor);
        m.each(a.getSparseTensorsCount(), a::getSparseTensors, s -> mapSparse(s, f), AttributeProto.Builder::setSparseTensors);
        m.field(a.hasG(), a::getG, g -> mapGraph(g, f), AttributeProto.Builder::setG);
        m.each(a.getGraphsCount(), a::getGraphs, g -> mapGraph(g, f), AttributeProto.Builder::setGraphs);
        return m.result(AttributeProto.Builder::build);
    }

    private static SparseTensorProto mapSparse(SparseTensorProto s, UnaryOperator<TensorProto> f) {
        Rebuild<SparseTensorProto, SparseTensorProto.Builder> m = new Rebuild<>(s, SparseTensorProto::toBuilder);
        m.field(s.hasValues(), s::getValues, f, SparseTensorProto.Builder::setValues);
        m.field(s.hasIndices(), s::getIndices, f, SparseTensorProto.Builder::setIndices);
        return m.result(SparseTensorProto.Builder::build);
    }

    /**
     * Copy on write for one message: its builder is made at the first field whose mapped value is another instance,
     * and {@link #result} is the message itself when none was.
     */
    private static final class Rebuild<M, B> {
        private final M message;
        private final Function<M, B> toBuilder;
        private B builder;

        Rebuild(M message, Function<M, B> toBuilder) {
            this.message = message;
            this.toBuilder = toBuilder;
        }

        /** A singular message field, present or not. */
        <T> void field(boolean present, Supplier<T> get, UnaryOperator<T> map, BiFunction<B, T, B> set) {
            if (!present) return;
            T old = get.get();
            T mapped = map.apply(old);
            if (mapped != old) set.apply(builder(), mapped);
        }

        /** Every element of a repeated message field. */
        <T> void each(int count, IntFunction<T> get, UnaryOperator<T> map, IndexedSetter<B, T> set) {
            for (int i = 0; i < count; i++) {
                T old = get.apply(i);
                T mapped = map.apply(old);
                if (mapped != old) set.set(builder(), i, mapped);
            }
        }

        M result(Function<B, M> build) {
            return builder == null ? message : build.apply(builder);
        }

        private B builder() {
            if (builder == null) builder = toBuilder.apply(message);
            return builder;
        }
    }

    /** A repeated field's setter, {@code Builder::setX(int, T)}. */
    @FunctionalInterface
    private interface IndexedSetter<B, T> {
        B set(B builder, int index, T value);
    }
}
