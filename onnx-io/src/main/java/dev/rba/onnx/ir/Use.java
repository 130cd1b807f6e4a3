package dev.rba.onnx.ir;

/**
 * One use of a {@link Value}: input slot {@code index} of {@code node}. A negative index
 * {@code -1 - k} marks the k-th implicit use, a name that a subgraph attribute of the node reads from the outer scope.
 * Records compare their components with {@code equals}; {@link Node} keeps identity equality, so two uses are equal
 * only when they are the same slot of the same node object.
 */
public record Use(Node node, int index) {

    public boolean isImplicit() {
        return index < 0;
    }
}
