package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.onnx.OnnxLoadedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that work on the committed ViT fixture ({@link VitFixture#MODEL}) with its test images and
 * the pure-Java backend: opened once per class, closed after its last test.
 */
abstract class OnVitFixture {
    static OnnxLoadedModel model;
    static CalibrationData data;
    static Backend backend;

    @BeforeAll
    static void openFixture() throws Exception {
        use(VitFixture.open());
    }

    /**
     * Makes {@code m} the class's model, with its test images and the java backend. A class on another fixture model
     * hides {@link #openFixture} with its own {@code @BeforeAll openFixture} that calls this.
     */
    static void use(OnnxLoadedModel m) throws Exception {
        model = m;
        data = VitFixture.testImages(model);
        backend = Backends.open("java").backend();
    }

    @AfterAll
    static void closeFixture() {
        if (backend != null) backend.close();
        if (model != null) model.close();
    }
}
