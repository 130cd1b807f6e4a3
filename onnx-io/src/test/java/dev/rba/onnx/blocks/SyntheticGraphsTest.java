package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic encoder that {@code rba bench discovery} times is what it says: discovery finds each of its blocks
 * at h_0..h_L, with width 4, 3 tokens, the block's parameters and MACs, from the declared shapes alone (no ONNX
 * Runtime run), whatever the block count; the node counts the bench reports are the graph's.
 */
class SyntheticGraphsTest {

    @Test
    void everyEncoderBlockIsFoundFromDeclaredShapes() {
        for (int blocks : new int[] {2, 7, 40}) {
            ModelProto proto = SyntheticGraphs.encoder(blocks);
            assertEquals(blocks * SyntheticGraphs.NODES_PER_BLOCK + SyntheticGraphs.ENCODER_EXTRA_NODES, proto.getGraph().getNodeCount());
            BlockStructure s = BlockDiscovery.discover(OnnxModel.fromProto(proto), DiscoveryOptions.defaults().withProbe(false));
            assertEquals(blocks, s.blockCount());
            assertEquals(IntStream.rangeClosed(0, blocks).mapToObj(k -> "h" + k).toList(),
                    s.boundaries().stream().map(Value::name).toList());
            assertEquals(4, s.d());
            assertEquals(3, s.tokens());
            assertEquals(0.0, s.shapeProbeSeconds());
            assertEquals("shapes from the model's value_info", s.notes().stream().filter(n -> n.startsWith("shapes")).findFirst().orElse(""));
            // per block: LN 2x4, q/k/v/proj 4x(4x4), fc1 4x8, fc2 8x4, LN 2x4; MACs per sample for 3 tokens:
            // q/k/v/proj 4x3x4x4, scores and mix 2x3x3x4, fc1 and fc2 2x3x4x8
            for (Block b : s.blocks()) {
                assertEquals(8 + 4 * 16 + 32 + 32 + 8, b.parameters());
                assertEquals(4 * 3 * 16 + 2 * 36 + 2 * 96, b.macsPerSample());
            }
        }
    }

    @Test
    void encoderSizesFollowTheNodeCountAsked() {
        assertEquals(2, SyntheticGraphs.encoderBlocksFor(10));
        int blocks = SyntheticGraphs.encoderBlocksFor(200_000);
        int nodes = blocks * SyntheticGraphs.NODES_PER_BLOCK + SyntheticGraphs.ENCODER_EXTRA_NODES;
        assertTrue(nodes <= 200_000 && nodes > 200_000 - SyntheticGraphs.NODES_PER_BLOCK, nodes + " nodes");
        assertEquals(200_000, SyntheticGraphs.identityChain(200_000).getGraph().getNodeCount());
    }
}
