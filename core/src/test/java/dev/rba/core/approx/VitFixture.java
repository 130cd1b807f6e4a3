package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;
import dev.rba.onnx.api.RuntimeOptions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The 8-block Fashion-MNIST ViT fixture and its test images. The models folder may be redirected with the
 * environment variable RBA_FIXTURE_MODELS (a folder holding vit_fmnist_b8.onnx); tests skip while it is missing.
 */
final class VitFixture {
    static final String MODEL = "vit_fmnist_b8.onnx";

    private VitFixture() {
    }

    /** ||a - ref|| / ||ref||: how far a fit's predictions are from a reference fit's on the same rows. */
    static double relativeDifference(double[] a, double[] ref) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - ref[i]) * (a[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        return Math.sqrt(diff / norm);
    }

    static Path repoFolder(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve(relative);
            if (Files.exists(d)) return d;
        }
        return null;
    }

    static Path model() {
        return model(MODEL);
    }

    /** A model of fixtures/models by file name (or of RBA_FIXTURE_MODELS); the test is skipped while it is missing. */
    static Path model(String name) {
        String env = System.getenv("RBA_FIXTURE_MODELS");
        Path m = env != null ? Path.of(env).resolve(name) : null;
        if (m == null || !Files.isRegularFile(m)) {
            Path folder = repoFolder("fixtures/models");
            m = folder == null ? null : folder.resolve(name);
        }
        Assumptions.assumeTrue(m != null && Files.isRegularFile(m), name + " fixture not exported yet");
        return m;
    }

    /**
     * h_in and h_out of the given samples as raw fp64 rows over all tokens, captured by ONNX Runtime independently of
     * the statistics: {x [samples * tokens, d], y [samples * tokens, d]}.
     */
    static double[][] capturedRows(OnnxLoadedModel model, CalibrationData data, int[] samples, int in, int out, int batch) {
        int d = (int) model.blocks().d();
        int tokens = (int) model.blocks().tokens();
        int rows = samples.length * tokens;
        double[] x = new double[rows * d];
        double[] y = new double[rows * d];
        String hIn = model.boundaryNames().get(in);
        String hOut = model.boundaryNames().get(out);
        try (ActivationCapture cap = ActivationCapture.open(model.file(), List.of(hIn, hOut), model.residualShape(),
                new CaptureOptions(batch, RuntimeOptions.defaults().withThreads(1), null))) {
            int i = cap.boundaryNames().indexOf(hIn);
            int o = cap.boundaryNames().indexOf(hOut);
            cap.run(new CalibrationInputs(data, samples, batch), b -> {
                int base = (int) b.start() * tokens * d;
                copy(b.h(i), x, base, b.count() * tokens * d);
                copy(b.h(o), y, base, b.count() * tokens * d);
            });
        }
        return new double[][] {x, y};
    }

    private static void copy(MemorySegment src, double[] dst, int offset, int count) {
        for (int i = 0; i < count; i++) dst[offset + i] = src.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    static Path fashionMnist() {
        Path d = repoFolder("fixtures/data/fashion-mnist");
        if (d == null) throw new IllegalStateException("fixtures/data/fashion-mnist not found");
        return d;
    }

    static OnnxLoadedModel open() throws IOException {
        return OnnxLoadedModel.open(model(), List.of());
    }

    static OnnxLoadedModel open(String name) throws IOException {
        return OnnxLoadedModel.open(model(name), List.of());
    }

    static CalibrationData testImages(OnnxLoadedModel model) throws IOException {
        return DataSources.open(fashionMnist(), model.inputSpecs(), new DataOptions("test", false, null, model.metadata()));
    }
}
