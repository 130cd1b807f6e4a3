package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery is linear in the node count: a valid chain of 200,000 Identity nodes (ONNX Runtime loads it in about 11 s)
 * must be judged in under 2 s, the bound issue 13 sets; the quadratic step it had took 20 s.
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
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        // CPU seconds of the discovering thread, best of three: what the algorithm costs, not how busy the machine
        // is (the build shares two cores with other builds); a quadratic step (20 s before the fix) fails all three
        double best = Double.MAX_VALUE;
        String outcome = null;
        for (int attempt = 0; attempt < 3 && best >= 2.0; attempt++) {
            double[] seconds = new double[1];
            outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                long t0 = cpu.getCurrentThreadCpuTime();
                try {
                    return BlockDiscovery.discover(model).blockCount() + " blocks";
                } catch (BlockDiscoveryException e) {
                    return "refused: " + e.getMessage();
                } finally {
                    seconds[0] = (cpu.getCurrentThreadCpuTime() - t0) / 1e9;
                }
            });
            best = Math.min(best, seconds[0]);
        }
        System.out.printf("discovery over %,d Identity nodes: best %.2f CPU s%n", NODES, best);
        // a chain of Identity nodes holds no matrix product, so no transformer block: a clear refusal
        assertTrue(outcome.startsWith("refused: no repeated transformer blocks"), outcome);
        assertTrue(best < 2.0, "discovery took " + best + " CPU s over " + NODES + " nodes");
    }
}
