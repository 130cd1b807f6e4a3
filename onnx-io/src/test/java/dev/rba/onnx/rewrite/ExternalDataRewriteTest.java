package dev.rba.onnx.rewrite;

import dev.rba.onnx.io.ExternalDataPolicy;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.io.TensorDataSources;
import dev.rba.onnx.io.WriteOptions;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.testmodels.ResidualModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rba.onnx.testmodels.ResidualModels.Block.LINEAR;
import static dev.rba.onnx.testmodels.ResidualModels.Block.NONLINEAR;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model with external weights, rewritten in memory: it runs straight away with its folder given to ORT, and once
 * saved (new T inline or external, the kept weights copied from the original's data file) it loads and computes the same.
 */
class ExternalDataRewriteTest {
    @Test
    void rewrittenExternalDataModelRunsFromMemoryAndAfterSaving(@TempDir Path dir) throws Exception {
        int d = 8;
        var m = ResidualModels.build(d, List.of(NONLINEAR, LINEAR, LINEAR, NONLINEAR), 31, false);
        Path original = dir.resolve("model.onnx");
        WriteOptions external = new WriteOptions(ExternalDataPolicy.EXTERNAL, 16, WriteOptions.DEFAULT_AUTO_LIMIT);
        OnnxModelWriter.write(m.proto(), TensorDataSources.inlineOnly(), original, external);
        ModelInputs in = ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(6, 3), 6, ResidualModels.TOKENS, ResidualModels.IN));
        float[] want;
        try (ModelRunner r = ModelRunner.open(m.proto(), null, RuntimeOptions.defaults())) {
            want = r.collect(in, 6, null).get("logits");
        }
        Path saved = dir.resolve("rewritten.onnx");
        try (OnnxModelFile file = OnnxModelFile.read(original)) {
            OnnxModel model = OnnxModel.fromProto(file.proto());
            float[][] t = ResidualModels.exactT(m, 1, 2);
            SpanRewriter.rewrite(model, List.of(SpanReplacement.byName(model.graph(), m.boundaries().get(1), m.boundaries().get(3), t[0], t[1])));
            try (ModelRunner r = ModelRunner.open(model.toProto(), file.folder(), RuntimeOptions.defaults())) {
                SpanRewriterTest.assertClose(want, r.collect(in, 6, null).get("logits"), 2e-5);
            }
            OnnxModelWriter.write(model.toProto(), file, saved, external);
        }
        try (OnnxModelFile reread = OnnxModelFile.read(saved);
             ModelRunner r = ModelRunner.open(reread, RuntimeOptions.defaults())) {
            assertTrue(reread.hasExternalData());
            SpanRewriterTest.assertClose(want, r.collect(in, 6, null).get("logits"), 2e-5);
        }
    }
}
