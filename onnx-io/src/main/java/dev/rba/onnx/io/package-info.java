/**
 * ONNX model files on disk: {@link dev.rba.onnx.io.OnnxModelFile} reads a model and gives every tensor's bytes
 * (inline, or mapped from external data files, so weights beyond 2 GB never pass through the heap);
 * {@link dev.rba.onnx.io.OnnxModelWriter} saves a model inline or with one external data file, atomically, never
 * over its own inputs; {@link dev.rba.onnx.api.OutputFile} is the one policy every file rba writes follows (no
 * device, FIFO or folder replaced, no input written over, nothing left behind by a failed or killed command). Round trips are lossless: fields this reader does not know are kept as protobuf unknown
 * fields and written back.
 */
package dev.rba.onnx.io;
