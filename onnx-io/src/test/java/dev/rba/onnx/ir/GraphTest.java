package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rba.onnx.ir.GraphProtos.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphTest {

    @Test
    void unchangedGraphIsWrittenBackIdentically() {
        GraphProto proto = GraphProtos.residual();
        assertEquals(proto, Graph.fromProto(proto).toProto());
        assertTrue(GraphValidator.problems(Graph.fromProto(proto)).isEmpty());
    }

    @Test
    void useListsFollowInputChanges() {
        Graph g = Graph.fromProto(GraphProtos.residual());
        Value x = g.findValue("x");
        Value a = g.findValue("a");
        Node relu = a.consumers().get(0);
        assertEquals("Relu", relu.opType());
        assertEquals(2, x.uses().size(), "x feeds MatMul and Add");
        relu.setInput(0, x);
        assertEquals(3, x.uses().size());
        assertEquals(1, a.uses().size(), "only the dead Neg still reads a");
        assertTrue(x.uses().contains(new Use(relu, 0)));
        assertTrue(GraphValidator.problems(g).isEmpty());
    }

    @Test
    void replaceAllUsesMovesEveryConsumerAndKeepsOutputName() {
        Graph g = Graph.fromProto(GraphProtos.residual());
        Value y = g.findValue("y");
        Value b = g.findValue("b");
        g.replaceAllUses(y, b);
        assertSame(b, g.outputs().get(0));
        assertEquals("y", b.name(), "the graph's interface keeps its output name");
        DeadCodeElimination.run(g);
        assertNull(g.findValue("y_replaced"), "the old Add is dead and gone");
        assertTrue(GraphValidator.problems(g).isEmpty());
    }

    @Test
    void deadCodeEliminationKeepsInterfaceAndDropsUnusedInitializers() {
        GraphProto proto = GraphProtos.residual().toBuilder().addInput(GraphProtos.floatInfo("unused_input", 3)).build();
        Graph g = Graph.fromProto(proto);
        PassResult r = DeadCodeElimination.run(g);
        assertTrue(r.modified());
        assertEquals(List.of("mm", "relu", "add"), g.nodes().stream().map(Node::name).toList());
        assertEquals(List.of("W"), g.initializers().stream().map(Value::name).toList());
        assertEquals(2, g.inputs().size(), "unused graph inputs are part of the interface");
        GraphProto out = g.toProto();
        assertFalse(out.getValueInfoList().stream().anyMatch(v -> v.getName().equals("d")), "value_info of removed values goes too");
        assertFalse(DeadCodeElimination.run(g).modified());
    }

    @Test
    void topologicalSortIsStableAndRepairsOrder() {
        GraphProto sorted = GraphProtos.residual();
        GraphProto shuffled = sorted.toBuilder().clearNode()
                .addNode(sorted.getNode(3)).addNode(sorted.getNode(2)).addNode(sorted.getNode(1)).addNode(sorted.getNode(0)).build();
        Graph g = Graph.fromProto(shuffled);
        assertFalse(GraphValidator.problems(g).isEmpty(), "reversed order reads values before they are defined");
        assertTrue(TopologicalSort.run(g).modified());
        assertTrue(GraphValidator.problems(g).isEmpty());
        // Independent nodes keep their file order: in the shuffled file Neg came before Relu, and it still does.
        assertEquals(List.of("mm", "dead", "relu", "add"), g.nodes().stream().map(Node::name).toList());
        assertFalse(TopologicalSort.run(g).modified());
    }

    @Test
    void cycleIsReported() {
        GraphProto proto = GraphProto.newBuilder().setName("cyc")
                .addInput(GraphProtos.floatInfo("x", 1)).addOutput(GraphProtos.floatInfo("b", 1))
                .addNode(node("n1", "Add", List.of("x", "b"), List.of("a")))
                .addNode(node("n2", "Relu", List.of("a"), List.of("b"))).build();
        InvalidGraphException e = assertThrows(InvalidGraphException.class, () -> TopologicalSort.run(Graph.fromProto(proto)));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void doubleDefinitionIsRejected() {
        GraphProto proto = GraphProtos.residual().toBuilder().addNode(node("again", "Relu", List.of("x"), List.of("a"))).build();
        InvalidGraphException e = assertThrows(InvalidGraphException.class, () -> Graph.fromProto(proto));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void newNodeSplicedBeforeConsumerValidates() {
        Graph g = Graph.fromProto(GraphProtos.residual());
        Value x = g.findValue("x");
        Value w = g.findValue("W");
        Node add = g.findValue("y").producer();
        Node mm2 = g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm").build(), List.of(x, w), List.of("a"), add);
        assertEquals("mm_1", mm2.name(), "names are made unique");
        assertFalse(mm2.output(0).name().equals("a"));
        add.setInput(0, mm2.output(0));
        DeadCodeElimination.run(g);
        TopologicalSort.run(g);
        GraphValidator.check(g);
        assertEquals(List.of("mm_1", "add"), g.nodes().stream().map(Node::name).toList());
    }

    @Test
    void subgraphReadsKeepOuterValuesAlive() {
        GraphProto body = GraphProto.newBuilder().setName("then")
                .addOutput(GraphProtos.floatInfo("t_out", 4))
                .addNode(node("inner", "Relu", List.of("a"), List.of("t_out"))).build();
        NodeProto ifNode = NodeProto.newBuilder().setName("if").setOpType("If").addInput("cond").addOutput("y2")
                .addAttribute(GraphProtos.graphAttribute("then_branch", body))
                .addAttribute(GraphProtos.graphAttribute("else_branch", body)).build();
        GraphProto proto = GraphProtos.residual().toBuilder()
                .addInput(GraphProtos.floatInfo("cond"))
                .addOutput(GraphProtos.floatInfo("y2", 4))
                .addNode(ifNode).build();
        Graph g = Graph.fromProto(proto);
        Node ifN = g.findValue("y2").producer();
        assertEquals(1, ifN.implicitInputs().size());
        assertSame(g.findValue("a"), ifN.implicitInputs().get(0));
        g.replaceAllUses(g.findValue("b"), g.findValue("x"));  // MatMul/Relu now only feed the If's subgraph
        DeadCodeElimination.run(g);
        assertNotNull(g.findValue("a"), "the If body reads 'a', so its producer stays");
        assertTrue(GraphValidator.problems(g).isEmpty());
    }
}
