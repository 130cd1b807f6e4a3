package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.io.TensorDataSources;
import dev.rba.onnx.io.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery on encoders built in Java, where the right h_0..h_L, parameter counts and MACs are known by construction. */
class BlockDiscoveryTest {

    @ParameterizedTest(name = "pre-norm, fused LayerNorm {0}, anonymous {1}")
    @CsvSource({"true,false", "false,false", "true,true", "false,true"})
    void preNormEncoder(boolean fused, boolean anonymous) {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(5, 8, 6, fused, anonymous);
        BlockStructure s = BlockDiscovery.discover(t.model());

        assertEquals(t.h, s.boundaryNames());
        assertEquals("structure", s.method());
        assertEquals("x", s.primaryInput());
        assertEquals(8, s.d());
        assertEquals(6, s.tokens());
        for (Block b : s.blocks()) {
            assertEquals(t.blockParameters(), b.parameters(), "parameters of block " + b.index());
            assertEquals(t.blockMacs(6), b.macsPerSample(), "MACs of block " + b.index());
            assertEquals(anonymous ? "" : "/blocks/blocks." + b.index(), b.prefix());
            assertEquals(8, b.d());
        }
        // Every node of a block lies between its boundaries; embedding and head nodes belong to no block.
        for (Block b : s.blocks()) {
            for (Node n : b.nodes()) {
                if (!anonymous) assertTrue(n.name().startsWith("/blocks/blocks." + b.index() + "/"), n.name() + " in block " + b.index());
            }
        }
        assertEquals(12L * 8 + 8 + 6 * 8 + 8 * 3 + 3 + 2 * 8, s.modelCost().parameters() - 5 * t.blockParameters());
        long embedMacs = 6 * 12 * 8;
        long headMacs = 8 * 3;
        assertEquals(5 * t.blockMacs(6) + embedMacs + headMacs, s.modelCost().macsPerSample());
    }

    @ParameterizedTest(name = "post-norm with mask, fused LayerNorm {0}, anonymous {1}")
    @CsvSource({"true,false", "false,false", "true,true", "false,true"})
    void postNormEncoderWithSharedMask(boolean fused, boolean anonymous) {
        TinyEncoderGraphs t = TinyEncoderGraphs.postNorm(4, 8, fused, anonymous);
        OnnxModel model = t.model();
        BlockStructure s = BlockDiscovery.discover(model, DiscoveryOptions.defaults().withProbeSequenceLength(10));

        assertEquals(t.h, s.boundaryNames(), "h_k must be each block's final LayerNorm output");
        assertEquals("input_ids", s.primaryInput());
        assertEquals(8, s.d());
        assertEquals(-1, s.tokens(), "the sequence length is symbolic");
        for (Block b : s.blocks()) {
            assertEquals(t.blockParameters(), b.parameters(), "parameters of block " + b.index());
            assertEquals(t.blockMacs(10), b.macsPerSample(), "MACs of block " + b.index() + " at the probe length");
            assertEquals(anonymous ? "" : "/encoder/layer." + b.index(), b.prefix());
        }
        // The mask chain (Unsqueeze, Cast, Sub, Mul from attention_mask) is computed once, outside every block, and
        // its result is read by one node of each block.
        List<Node> inBlocks = new ArrayList<>();
        s.blocks().forEach(b -> inBlocks.addAll(b.nodes()));
        Value v = model.graph().findValue("attention_mask");
        for (int step = 0; step < 4; step++) {
            Node next = v.consumers().get(0);
            assertTrue(inBlocks.stream().noneMatch(n -> n == next), "mask node " + next + " is in a block");
            v = next.output(0);
        }
        for (Block b : s.blocks()) {
            Value mask = v;
            assertEquals(1, b.nodes().stream().filter(n -> n.inputs().contains(mask)).count(), "mask readers in block " + b.index());
        }
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("ONNX Runtime")), s.notes().toString());
    }

    @Test
    void numberedNamesSplitBlocksThatDifferInStructure() {
        // Odd blocks use another activation: the structure alone repeats every two blocks; the names say five blocks.
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(5, 8, 6, true, false, true);
        BlockStructure s = BlockDiscovery.discover(t.model());
        assertEquals("names", s.method());
        assertEquals(t.h, s.boundaryNames());
        assertEquals("/blocks/blocks.3", s.blocks().get(3).prefix());

        TinyEncoderGraphs anon = TinyEncoderGraphs.preNorm(5, 8, 6, true, true, true);
        BlockStructure pairs = BlockDiscovery.discover(anon.model());
        assertEquals("structure", pairs.method());
        // Blocks 0-1 and 2-3, or 1-2 and 3-4, repeat equally well; the latest-ending stretch wins.
        assertEquals(List.of(anon.h.get(1), anon.h.get(3), anon.h.get(5)), pairs.boundaryNames(),
                "without names, two different blocks repeat as one unit");
    }

    @Test
    void probeReadsExternalDataFromTheModelFolder(@TempDir Path dir) throws Exception {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        Path file = dir.resolve("tiny.onnx");
        OnnxModelWriter.write(t.proto(), TensorDataSources.inlineOnly(), file, WriteOptions.external().withExternalThreshold(64));
        try (OnnxModelFile f = OnnxModelFile.read(file)) {
            assertTrue(f.hasExternalData());
            OnnxModel m = OnnxModel.fromProto(f.proto());
            BlockStructure blind = BlockDiscovery.discover(m);
            assertEquals(-1, blind.d());
            assertTrue(blind.notes().stream().anyMatch(n -> n.contains("external data")), blind.notes().toString());

            BlockStructure s = BlockDiscovery.discover(m, DiscoveryOptions.defaults().withModelFolder(f.folder()));
            assertEquals(t.h, s.boundaryNames());
            assertEquals(8, s.d());
            assertEquals(t.blockMacs(6), s.blocks().get(2).macsPerSample());
            assertEquals(t.blockParameters(), s.blocks().get(2).parameters());
        }
    }

    @Test
    void parametersMergedByTheExporterStillCountInEveryBlock() {
        // torch's exporter keeps one copy of equal-valued parameters and feeds the other blocks through Identity nodes.
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        ModelProto proto = t.proto();
        GraphProto.Builder g = proto.getGraph().toBuilder();
        List<dev.rba.onnx.proto.OnnxProto.NodeProto> aliases = new ArrayList<>();
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            String name = g.getInitializer(i).getName();
            if (name.matches("blocks\\.[12]\\.norm[12]\\.weight")) {
                g.removeInitializer(i);
                aliases.add(dev.rba.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Identity").setName("Identity_" + name)
                        .addInput("blocks.0.norm1.weight").addOutput(name).build());
            }
        }
        assertEquals(4, aliases.size());
        List<dev.rba.onnx.proto.OnnxProto.NodeProto> nodes = new ArrayList<>(aliases);
        nodes.addAll(g.getNodeList());
        g.clearNode().addAllNode(nodes);
        BlockStructure s = BlockDiscovery.discover(OnnxModel.fromProto(proto.toBuilder().setGraph(g).build()));
        assertEquals(t.h, s.boundaryNames());
        for (Block b : s.blocks()) assertEquals(t.blockParameters(), b.parameters(), "parameters of block " + b.index());
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("1 parameter tensors are read by several blocks")), s.notes().toString());
        assertEquals(BlockDiscovery.modelCost(t.model()).parameters() - 4 * 8, s.modelCost().parameters(),
                "the file holds one copy of the merged tensor");
    }

    @Test
    void overrideWithNamesGivesThoseBoundaries() {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(4, 8, 6, true, false);
        List<String> spanOfTwo = List.of(t.h.get(1), t.h.get(3));
        BlockStructure s = BlockDiscovery.discover(t.model(), spanOfTwo);
        assertEquals("override", s.method());
        assertEquals(spanOfTwo, s.boundaryNames());
        assertEquals(1, s.blockCount());
        assertEquals(2 * t.blockParameters(), s.blocks().get(0).parameters());
        assertEquals(2 * t.blockMacs(6), s.blocks().get(0).macsPerSample());
        assertEquals("x", s.primaryInput());
        assertTrue(s.notes().stream().noneMatch(n -> n.contains("not on every path")), s.notes().toString());
    }

    @Test
    void overrideInsideTheResidualStreamIsFlagged() {
        // The first LayerNorm's output of block 1 is bypassed by the residual connection: not a cut point.
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        String insideBlock1 = "/blocks/blocks.1/norm1/LayerNormalization_output_0";
        BlockStructure s = BlockDiscovery.discover(t.model(), List.of(t.h.get(0), insideBlock1));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("'" + insideBlock1 + "' is not on every path")), s.notes().toString());
    }

    @Test
    void unknownOverrideNameIsAOneLineError() {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        BlockDiscoveryException e = assertThrows(BlockDiscoveryException.class,
                () -> BlockDiscovery.discover(t.model(), List.of(t.h.get(0), "no_such_tensor")));
        assertTrue(e.getMessage().contains("'no_such_tensor'"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void overrideOutOfOrderIsRejected() {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        BlockDiscoveryException e = assertThrows(BlockDiscoveryException.class,
                () -> BlockDiscovery.discover(t.model(), List.of(t.h.get(2), t.h.get(1))));
        assertTrue(e.getMessage().contains(t.h.get(1)), e.getMessage());
    }

    @Test
    void modelWithoutRepeatedBlocksIsAnErrorSuggestingTheOverride() {
        // A single pre-norm block: nothing repeats.
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(1, 8, 6, true, true);
        BlockDiscoveryException e = assertThrows(BlockDiscoveryException.class, () -> BlockDiscovery.discover(t.model()));
        assertTrue(e.getMessage().contains("no repeated transformer blocks"), e.getMessage());
        assertTrue(e.getMessage().contains("override"), e.getMessage());
    }

    @Test
    void declaredShapesAvoidTheProbe() {
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(3, 8, 6, true, false);
        // Give every tensor its shape through value_info (as torch exports with shape inference do), then forbid the probe.
        BlockStructure probed = BlockDiscovery.discover(t.model());
        ModelProto withShapes = withValueInfo(t.proto(), probed);
        BlockStructure declared = BlockDiscovery.discover(OnnxModel.fromProto(withShapes), DiscoveryOptions.defaults().withProbe(false));
        assertTrue(declared.notes().contains("shapes from the model's value_info"), declared.notes().toString());
        assertEquals(probed.d(), declared.d());
        assertEquals(probed.tokens(), declared.tokens());
        assertEquals(probed.modelCost().macsPerSample(), declared.modelCost().macsPerSample());
    }

    /** Copies the probe's shapes into value_info with a symbolic batch dimension. */
    private static ModelProto withValueInfo(ModelProto proto, BlockStructure probed) {
        OnnxModel m = OnnxModel.fromProto(proto);
        ValueShapes shapes = ValueShapes.resolve(m, m.graph().values(), DiscoveryOptions.defaults());
        GraphProto.Builder g = proto.getGraph().toBuilder();
        for (Value v : m.graph().values()) {
            long[] dims = shapes.of(v);
            if (dims == null || v.isInitializer() || m.graph().isGraphInput(v)) continue;
            Object[] shape = new Object[dims.length];
            for (int i = 0; i < dims.length; i++) shape[i] = i == 0 && dims.length > 1 ? (Object) "batch" : (Object) dims[i];
            var type = Types.tensor(1, Types.shape(shape));
            if (m.graph().isGraphOutput(v)) {
                for (var out : g.getOutputBuilderList()) if (out.getName().equals(v.name())) out.setType(type);
            } else {
                g.addValueInfo(dev.rba.onnx.proto.OnnxProto.ValueInfoProto.newBuilder().setName(v.name()).setType(type));
            }
        }
        return proto.toBuilder().setGraph(g).build();
    }
}
