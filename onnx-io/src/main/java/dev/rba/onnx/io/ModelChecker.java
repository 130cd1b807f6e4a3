package dev.rba.onnx.io;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.GraphValidator;
import dev.rba.onnx.ir.InvalidGraphException;
import dev.rba.onnx.ir.TopologicalSort;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.FunctionProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules ONNX's checker applies and ONNX Runtime's loader enforces, checked on the protobuf before either sees it,
 * so that a broken model is refused with one line naming the first problem and the node or tensor, rather than
 * passing {@code inspect} and failing later: opset imports for every domain used, default-domain operators that ONNX
 * defines at the model's opset, tensors whose data type is known and whose data matches their dims, value types with
 * known element types, shapes that fit in memory ({@link ShapeSizes}), and a graph whose every input is defined
 * (graph input, initializer, node output, or the enclosing graph's scope for subgraphs), that defines each name once,
 * and that has no cycle. Node order does not matter: like ONNX Runtime, rba sorts the nodes itself. Linear in the
 * model's size.
 */
final class ModelChecker {
    private static final Map<String, Integer> ONNX_OPERATORS = loadOperators();

    private final String model;
    private final Map<String, Long> opsets = new HashMap<>();
    private final Set<String> localFunctions = new HashSet<>();

    private ModelChecker(String model) {
        this.model = model;
    }

    /** Throws {@link OnnxFormatException} naming {@code modelName} and the first problem found. */
    static void check(ModelProto proto, String modelName) {
        ModelChecker c = new ModelChecker(modelName);
        c.opsets(proto);
        for (FunctionProto f : proto.getFunctionsList()) {
            c.localFunctions.add(f.getDomain() + ":" + f.getName());
        }
        c.graph(proto.getGraph(), true);
        Graph g;
        try {
            g = Graph.fromProto(proto.getGraph());
            TopologicalSort.run(g);
        } catch (InvalidGraphException e) {
            throw c.fail(e.getMessage(), e);
        }
        List<String> problems = GraphValidator.problems(g);
        if (!problems.isEmpty()) {
            throw c.fail(problems.getFirst(), null);
        }
    }

    private void opsets(ModelProto proto) {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            String domain = domain(o.getDomain());
            if (o.getVersion() < 1) {
                throw fail("opset_import of domain '" + domain + "' has version " + o.getVersion(), null);
            }
            if (opsets.put(domain, o.getVersion()) != null) {
                throw fail("domain '" + domain + "' is imported twice in opset_import", null);
            }
        }
    }

    /** Checks one graph and, through its nodes' attributes, its subgraphs. */
    private void graph(GraphProto g, boolean main) {
        for (TensorProto t : g.getInitializerList()) {
            tensor(t, null);
        }
        for (ValueInfoProto vi : g.getInputList()) {
            valueInfo(vi, "graph input '" + vi.getName() + "'");
        }
        for (ValueInfoProto vi : g.getOutputList()) {
            valueInfo(vi, "graph output '" + vi.getName() + "'");
        }
        for (ValueInfoProto vi : g.getValueInfoList()) {
            valueInfo(vi, "value_info '" + vi.getName() + "'");
        }
        for (NodeProto n : g.getNodeList()) {
            node(n);
        }
        String tooBig = ShapeSizes.constantOperands(g);
        if (tooBig != null) {
            throw fail(tooBig, null);
        }
        if (!main) {
            subgraphStructure(g);
        }
    }

    private void node(NodeProto n) {
        String where = "node '" + n.getName() + "' (" + n.getOpType() + ")";
        if (n.getOpType().isEmpty()) {
            throw fail("node '" + n.getName() + "' has no op_type", null);
        }
        String domain = domain(n.getDomain());
        if (domain.isEmpty()) {
            operator(n, where);
        }
        attributes(n, where);
    }

    /** A default-domain operator must be one ONNX defines at the model's opset (or a function of the model). */
    private void operator(NodeProto n, String where) {
        Long version = opsets.get("");
        if (version == null) {
            throw fail(where + " is in the default domain '', which opset_import does not import", null);
        }
        if (!localFunctions.contains(":" + n.getOpType())) {
            Integer since = ONNX_OPERATORS.get(n.getOpType());
            if (since == null) {
                throw fail(where + ": ONNX defines no operator '" + n.getOpType() + "' (custom operators need their"
                        + " own domain)", null);
            }
            if (since > version) {
                throw fail(where + ": operator " + n.getOpType() + " exists from opset " + since + " but the model"
                        + " imports opset " + version, null);
            }
        }
    }

    private void attributes(NodeProto n, String where) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasT()) {
                tensor(a.getT(), where + " attribute '" + a.getName() + "'");
            }
            for (TensorProto t : a.getTensorsList()) {
                tensor(t, where + " attribute '" + a.getName() + "'");
            }
            if (a.hasG()) {
                graph(a.getG(), false);
            }
            for (GraphProto sub : a.getGraphsList()) {
                graph(sub, false);
            }
        }
    }

    /**
     * Within a subgraph, names are defined once; reads of names it does not define go to the enclosing scopes, which
     * the main graph's check covers (they are the node's implicit inputs there).
     */
    private void subgraphStructure(GraphProto g) {
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto vi : g.getInputList()) {
            defined.add(vi.getName());
        }
        for (TensorProto t : g.getInitializerList()) {
            defined.add(t.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                if (!out.isEmpty() && !defined.add(out)) {
                    throw fail("subgraph '" + g.getName() + "': tensor '" + out + "' is defined twice (again by node '"
                            + n.getName() + "' (" + n.getOpType() + "))", null);
                }
            }
        }
    }

    private void tensor(TensorProto t, String where) {
        try {
            if (TensorShapes.isExternal(t)) {
                TensorShapes.rawByteSize(t);   // type and dims; the bytes are checked against the data file
            } else {
                InlineTensorData.check(t);
            }
        } catch (OnnxFormatException e) {
            throw fail(where == null ? e.getMessage() : where + ": " + e.getMessage(), e);
        }
    }

    private void valueInfo(ValueInfoProto vi, String where) {
        type(vi.getType(), where);
        String tooBig = ShapeSizes.declared(vi.getType(), where);
        if (tooBig != null) {
            throw fail(tooBig, null);
        }
    }

    private void type(TypeProto type, String where) {
        switch (type.getValueCase()) {
            case TENSOR_TYPE -> elemType(type.getTensorType().getElemType(), where);
            case SPARSE_TENSOR_TYPE -> elemType(type.getSparseTensorType().getElemType(), where);
            case SEQUENCE_TYPE -> type(type.getSequenceType().getElemType(), where);
            case OPTIONAL_TYPE -> type(type.getOptionalType().getElemType(), where);
            case MAP_TYPE -> {
                elemType(type.getMapType().getKeyType(), where);
                type(type.getMapType().getValueType(), where);
            }
            default -> { } // no type given: ONNX Runtime infers it
        }
    }

    private void elemType(int code, String where) {
        // 0 (UNDEFINED) means "not given" in a type; any other code must be a type ONNX defines
        if (code != 0 && TensorDataType.fromCodeOrNull(code) == null) {
            throw fail(where + " has unknown element type " + code, null);
        }
    }

    private static String domain(String d) {
        return d.equals("ai.onnx") ? "" : d;
    }

    private OnnxFormatException fail(String problem, Throwable cause) {
        String p = problem.endsWith("; re-export the model") ? problem.substring(0, problem.length() - 21) : problem;
        return new OnnxFormatException("model " + model + " cannot run: " + p + "; fix or re-export the model", cause);
    }

    private static Map<String, Integer> loadOperators() {
        Map<String, Integer> ops = new HashMap<>();
        try (InputStream in = ModelChecker.class.getResourceAsStream("onnx-operators.txt")) {
            if (in == null) {
                throw new IllegalStateException("onnx-operators.txt is missing from rba's onnx-io jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                ops.put(f[0], Integer.parseInt(f[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(ops);
    }
}
