/**
 * core's side of onnx-io, for core's own packages only (not exported): the {@link dev.rba.core.pipeline.LoadedModel}
 * implementation with its graph, blocks and protobuf, what a capture runs over (a loaded model or one changed in
 * memory), the capture pass that turns h_k into statistics, and the inputs it feeds ONNX Runtime.
 */
package dev.rba.core.onnx;
