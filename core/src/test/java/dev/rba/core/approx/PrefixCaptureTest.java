package dev.rba.core.approx;

import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.CapturePass;
import dev.rba.core.onnx.CaptureTarget;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A calibration pass that does not need the model's own outputs runs only the graph up to the last captured h_k, and
 * that cut model captures exactly what the whole model with the h_k exposed hands back.
 */
class PrefixCaptureTest extends OnVitFixture {
    static final int IN = 2;
    static final int OUT = 5;   // h_5: blocks 5..7 and the head lie after it

    @Test
    void withoutModelOutputsThePassRunsOnlyUpToTheLastCapturedTensor() {
        List<String> names = List.of(model.boundaryNames().get(IN), model.boundaryNames().get(OUT));
        CaptureTarget target = CaptureTarget.of(model, new int[] {IN, OUT});
        ModelProto whole = model.file().proto();
        ModelProto cut = CapturePass.captureModel(target, names, false);
        assertEquals(names, cut.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList(),
                "the captured h_k are the cut model's only outputs");
        for (NodeProto n : cut.getGraph().getNodeList()) {
            for (int b = OUT; b < model.blockCount(); b++) {
                assertTrue(!n.getName().contains("blocks." + b + "/"), "block " + b + "'s node " + n.getName() + " is cut");
            }
        }
        assertTrue(cut.getGraph().getInitializerCount() < whole.getGraph().getInitializerCount(), "later weights are left out");
        assertSame(whole, CapturePass.captureModel(target, names, true), "a pass that hands on the outputs runs the whole model");
    }

    @Test
    void theCutModelCapturesWhatTheWholeExposedModelReturns() {
        int[] samples = new int[20];
        for (int i = 0; i < samples.length; i++) samples[i] = 5 * i;
        // reference: ONNX Runtime's own h_2 and h_5 from the whole model, its logits asked for too
        double[][] whole = VitFixture.capturedRows(model, data, samples, IN, OUT, 8);
        List<String> names = List.of(model.boundaryNames().get(IN), model.boundaryNames().get(OUT));
        ModelProto cut = CapturePass.captureModel(CaptureTarget.of(model, new int[] {IN, OUT}), names, false);
        int rowValues = (int) (model.blocks().tokens() * model.blocks().d());
        double[][] got = new double[2][whole[0].length];
        try (ActivationCapture cap = ActivationCapture.open(cut, model.file().folder(), names, model.residualShape(),
                new CaptureOptions(8, RuntimeOptions.defaults().withThreads(1), null))) {
            cap.run(new CalibrationInputs(data, samples, 8), b -> {
                for (int k = 0; k < 2; k++) {
                    for (int i = 0; i < b.count() * rowValues; i++) {
                        got[k][(int) b.start() * rowValues + i] = b.h(k).getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    }
                }
            });
        }
        for (int k = 0; k < 2; k++) {
            double scale = 0;
            for (double v : whole[k]) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < whole[k].length; i++) {
                assertEquals(whole[k][i], got[k][i], 1e-6 * scale, "h_" + (k == 0 ? IN : OUT) + " value " + i);
            }
        }
    }

    @Test
    void statisticsOfTheCutPassEqualThoseOfTheWholeModelPass() {
        int[] samples = new int[24];
        for (int i = 0; i < samples.length; i++) samples[i] = 4 * i + 1;
        CalibrationOptions options = new CalibrationOptions(8, 1, false, TokenSelection.CLS, TokenSelection.ALL, 0)
                .withFitPairs(List.of(new StreamPair(IN, OUT)));
        StreamStatistics cut = CalibrationPass.run(model, data, samples, backend, options, null, null).fitStatistics();
        int[] outputBatches = {0};
        StreamStatistics whole = CalibrationPass.run(model, data, samples, backend, options, null,
                b -> outputBatches[0]++).fitStatistics();
        assertEquals(3, outputBatches[0], "the whole-model pass hands on the logits of every batch");
        assertEquals(whole.rows(), cut.rows());
        double[] want = whole.centredCrossGram(IN, OUT);
        double[] have = cut.centredCrossGram(IN, OUT);
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], have[i], 1e-6 * scale, "cross-Gram entry " + i);
        assertEquals(whole.summaryCosineSum(IN, OUT), cut.summaryCosineSum(IN, OUT), 1e-9 * samples.length);
    }
}
