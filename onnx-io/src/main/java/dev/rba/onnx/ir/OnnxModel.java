package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model: the main {@link Graph} plus the model-level fields (IR version, opsets, producer, metadata, functions,
 * training info, unknown fields), which are kept as a template and written back unchanged except for what is edited
 * through this class.
 */
public final class OnnxModel {
    private ModelProto template;
    private final Graph graph;

    private OnnxModel(ModelProto template, Graph graph) {
        this.template = template;
        this.graph = graph;
    }

    public static OnnxModel fromProto(ModelProto proto) {
        return new OnnxModel(proto.toBuilder().clearGraph().build(), Graph.fromProto(proto.getGraph()));
    }

    public ModelProto toProto() {
        return template.toBuilder().setGraph(graph.toProto()).build();
    }

    public Graph graph() {
        return graph;
    }

    public long irVersion() {
        return template.getIrVersion();
    }

    /** The opset version of the default ONNX domain, or 0 when the model does not import it. */
    public long opset() {
        for (OperatorSetIdProto o : template.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) return o.getVersion();
        }
        return 0;
    }

    /** metadata_props as an ordered map. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : template.getMetadataPropsList()) m.put(e.getKey(), e.getValue());
        return m;
    }

    /** Sets (or replaces) one metadata_props entry, keeping the others in their order. */
    public void putMetadata(String key, String value) {
        ModelProto.Builder b = template.toBuilder();
        boolean replaced = false;
        for (int i = 0; i < b.getMetadataPropsCount(); i++) {
            if (b.getMetadataProps(i).getKey().equals(key)) {
                b.setMetadataProps(i, StringStringEntryProto.newBuilder().setKey(key).setValue(value));
                replaced = true;
            }
        }
        if (!replaced) b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        template = b.build();
    }
}
