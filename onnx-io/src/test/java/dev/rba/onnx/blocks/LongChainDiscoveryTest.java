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


import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery on a valid chain of 200,000 Identity nodes (ONNX Runtime loads it in about 11 s): the answer is a clear
 * refusal. Its cost (linear in the node count; a quadratic step it once had took 20 s here) is a benchmark's
 * business, not a timed test's.
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
    void twoHundredThousandIdentityNodesAreRefusedClearly() {
        OnnxModel model = OnnxModel.fromProto(identityChain(NODES));
        // a chain of Identity nodes holds no matrix product, so no transformer block: a clear refusal
        BlockDiscoveryException e = assertThrows(BlockDiscoveryException.class, () -> BlockDiscovery.discover(model));
        assertTrue(e.getMessage().startsWith("no repeated transformer blocks"), e.getMessage());
    }
}
