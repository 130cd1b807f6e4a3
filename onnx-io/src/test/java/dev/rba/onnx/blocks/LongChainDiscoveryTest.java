package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.ir.OnnxModel;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery on a valid chain of 200,000 Identity nodes (ONNX Runtime loads it in about 11 s): the answer is a clear
 * refusal. Its cost (linear in the node count; a quadratic step it once had took 20 s here) is a benchmark's
 * business, not a timed test's: {@code rba bench discovery} times it and fails when it grows faster than linearly.
 */
class LongChainDiscoveryTest {
    static final int NODES = 200_000;

    @Test
    void twoHundredThousandIdentityNodesAreRefusedClearly() {
        OnnxModel model = OnnxModel.fromProto(SyntheticGraphs.identityChain(NODES));
        // a chain of Identity nodes holds no matrix product, so no transformer block: a clear refusal
        BlockDiscoveryException e = assertThrows(BlockDiscoveryException.class, () -> BlockDiscovery.discover(model));
        assertTrue(e.getMessage().startsWith("no repeated transformer blocks"), e.getMessage());
    }
}
