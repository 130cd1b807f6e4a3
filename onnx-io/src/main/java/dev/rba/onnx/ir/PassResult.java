package dev.rba.onnx.ir;

/** What a pass did: whether it changed the graph, and a one-line summary for logs. */
public record PassResult(boolean modified, String summary) {
}
