package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * Discovery is linear in the node count: a valid chain of 200,000 Identity nodes (ONNX Runtime loads it in about 11 s)
 * must be judged in well under 2 s, the bound issue 13 sets; a quadratic step would take minutes.
 */
class LongChainDiscoveryTest {
    static final int NODES = 200_000;

    static ModelProto identityChain(int n) {
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(8)))).build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("chain")
                .addInput(ValueInfoProto.newBuilder().setName("v0").setType(type));
        for (int i = 0; i < n; i++) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("id" + i).addInput("v" + i).addOutput("v" + (i + 1)));
        }
        g.addOutput(ValueInfoProto.newBuilder().setName("v" + n).setType(type));
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }

    @Test
    void twoHundredThousandIdentityNodesInUnderTwoSeconds() {
        OnnxModel model = OnnxModel.fromProto(identityChain(NODES));
        // best of three, each stopped at 10 s: a busy CI machine may stall one attempt; a quadratic step (the 20 s
        // seen before the fix) fails all three
        double best = Double.MAX_VALUE;
        String outcome = null;
        for (int attempt = 0; attempt < 3 && best >= 2.0; attempt++) {
            long t0 = System.nanoTime();
            outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    return BlockDiscovery.discover(model).blockCount() + " blocks";
                } catch (BlockDiscoveryException e) {
                    return "refused: " + e.getMessage();
                }
            });
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("discovery over %,d Identity nodes: best %.2f s%n", NODES, best);
        // a chain of Identity nodes holds no matrix product, so no transformer block: a clear refusal
        assertTrue(outcome.startsWith("refused: no repeated transformer blocks"), outcome);
        assertTrue(best < 2.0, "discovery took " + best + " s over " + NODES + " nodes");
    }
}
