package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiny BERT fixture (post-norm, dynamic length, attention mask with padding): T fitted from rba's statistics must
 * equal a QR fit on PyTorch's own h_1 and h_3 rows of the real tokens only, read from the fixture's expected arrays.
 * Padding rows, if they leaked into the statistics, would change T.
 */
class MaskedTextModelTest {
    @Test
    void fitOverRealTokensEqualsQrOnTorchRowsWithoutPadding() throws Exception {
        Path folder = VitFixture.repoFolder("fixtures/models");
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(folder.resolve("hf_bert_tiny.onnx")), "BERT fixture missing");
        Path npz = folder.resolve("hf_bert_tiny.expected.npz");
        var arrays = Npz.read(npz);
        NdArray mask = arrays.get("attention_mask");
        NdArray h1 = arrays.get("h_1");
        NdArray h3 = arrays.get("h_3");
        int n = (int) mask.dim(0);
        int tokens = (int) mask.dim(1);
        int d = (int) h1.dim(2);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < tokens; t++) {
                if (mask.getLong((long) s * tokens + t) == 0) continue;
                double[] x = new double[d];
                double[] y = new double[d];
                for (int c = 0; c < d; c++) {
                    x[c] = h1.getDouble(((long) s * tokens + t) * d + c);
                    y[c] = h3.getDouble(((long) s * tokens + t) * d + c);
                }
                xs.add(x);
                ys.add(y);
            }
        }
        int rows = xs.size();
        double[] x = new double[rows * d];
        double[] y = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xs.get(r), 0, x, r * d, d);
            System.arraycopy(ys.get(r), 0, y, r * d, d);
        }
        try (LoadedModel model = LoadedModel.open(folder.resolve("hf_bert_tiny.onnx"), List.of());
             Backend backend = Backends.open("java").backend()) {
            CalibrationData data = DataSources.open(npz, model.inputSpecs(), DataOptions.defaults(model.metadata()));
            assertEquals(n, data.size());
            ApproximationOptions o = ApproximationOptions.defaults().withSamples(n, 0).withBatchSize(2).withRuntime(1, false);
            Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
            SpanFit fit = approx.approximate(List.of(new Span(1, 2))).fits().getFirst();
            assertEquals(rows, fit.fitRows(), "only real tokens are rows of the fit");
            FitResult qr = LinearFits.fitDirectQR(x, y, rows, d, d, false, backend);
            double rel = VitFixture.relativeDifference(fit.fit().apply(x, rows), qr.apply(x, rows));
            assertTrue(rel < 1e-3, "predictions differ by " + rel
                    + " (cond " + fit.fit().conditionNumber() + ", ridge " + fit.fit().ridgeLambda() + ")");
            assertEquals(FitMethod.LINEAR, approx.options().method());
        }
    }
}
