/**
 * ONNX reading and writing, the graph IR, block discovery, ONNX Runtime capture and the span rewriter. Only
 * {@code dev.rba.onnx.api} (runtime settings, the output-file policy, the discovery refusal) is everyone's, as part
 * of {@code dev.rba.core}'s API; the rest, protobuf types included, is for {@code dev.rba.core} alone.
 */
module dev.rba.onnx {
    requires com.google.protobuf;
    requires com.fasterxml.jackson.databind;
    requires com.microsoft.onnxruntime;

    exports dev.rba.onnx.api;
    exports dev.rba.onnx.blocks to dev.rba.core;
    exports dev.rba.onnx.io to dev.rba.core;
    exports dev.rba.onnx.ir to dev.rba.core;
    exports dev.rba.onnx.proto to dev.rba.core;
    exports dev.rba.onnx.rewrite to dev.rba.core;
    exports dev.rba.onnx.runtime to dev.rba.core;
}
