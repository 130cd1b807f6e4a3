package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
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

    static Path repoFolder(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve(relative);
            if (Files.exists(d)) return d;
        }
        return null;
    }

    static Path model() {
        String env = System.getenv("RBA_FIXTURE_MODELS");
        Path m = env != null ? Path.of(env).resolve(MODEL) : null;
        if (m == null || !Files.isRegularFile(m)) {
            Path folder = repoFolder("fixtures/models");
            m = folder == null ? null : folder.resolve(MODEL);
        }
        Assumptions.assumeTrue(m != null && Files.isRegularFile(m), MODEL + " fixture not exported yet");
        return m;
    }

    static Path fashionMnist() {
        Path d = repoFolder("fixtures/data/fashion-mnist");
        if (d == null) throw new IllegalStateException("fixtures/data/fashion-mnist not found");
        return d;
    }

    static LoadedModel open() throws IOException {
        return LoadedModel.open(model(), List.of());
    }

    static CalibrationData testImages(LoadedModel model) throws IOException {
        return DataSources.open(fashionMnist(), model.inputSpecs(), new DataOptions("test", false, null, model.metadata()));
    }
}
