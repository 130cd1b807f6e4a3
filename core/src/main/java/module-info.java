/**
 * rba's library. The facade is {@code dev.rba.core} ({@link dev.rba.core.Rba}, {@link dev.rba.core.ModelInspection},
 * JSON output); the data loaders are {@code dev.rba.core.data}; the tools (benchmark harness, heatmap PNG,
 * initializer comparison) are {@code dev.rba.core.tools}; the method's parts (statistics, fits, analysis,
 * approximation, evaluation, the calibration pipeline, the linear-algebra backends) have one package each. The
 * backends' implementations (dense, SIMD, OpenBLAS, CUDA) and {@code dev.rba.core.onnx} (the loaded model's graph
 * and protobuf, the capture pass) are not exported, so no ONNX type reaches the API.
 *
 * <p>The Vector API is optional ({@code requires static}): without {@code --add-modules jdk.incubator.vector} the
 * same code runs scalar loops, and a JVM that does not load it prints no incubator warning.
 */
module dev.rba.core {
    requires transitive dev.rba.onnx;
    requires transitive dev.rba.nativelib;
    requires static jdk.incubator.vector;
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;
    requires com.microsoft.onnxruntime;
    requires java.desktop;     // PNG drawing (tools.HeatmapPng) and image decoding (data)
    requires java.management;  // the machine description in evaluation reports

    exports dev.rba.core;
    exports dev.rba.core.analysis;
    exports dev.rba.core.approx;
    exports dev.rba.core.data;
    exports dev.rba.core.eval;
    exports dev.rba.core.fit;
    exports dev.rba.core.linalg;
    exports dev.rba.core.pipeline;
    exports dev.rba.core.stats;
    exports dev.rba.core.tools;
}
