package dev.rba.onnx.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the model reader and validator on raw bytes: whatever the bytes, reading and
 * checking a model either succeeds or ends in an {@link OnnxFormatException}; any other exception or error is a
 * finding. A plain build runs this in Jazzer's regression mode: every committed seed and finding
 * ({@code fixtures/fuzz/seeds}, {@code fixtures/fuzz/findings}, copied next to this class by the build) once.
 * {@code tools/fuzz/jazzer.sh} fuzzes it. It complements the CLI's structure-aware mutation run
 * ({@code ModelFuzzTest}), which changes ONNX fields on purpose and reaches ONNX Runtime; this one finds what
 * byte-level changes guided by the reader's own branches reach.
 */
class ModelBytesFuzzTest {
    private static final Path NAME = Path.of("fuzz-input.onnx");

    @FuzzTest(maxDuration = "5m")
    void readAndCheck(byte[] bytes) {
        ModelProto proto;
        try {
            proto = OnnxModelFile.parse(NAME, bytes);
            ModelChecker.check(proto, NAME.toString());
        } catch (OnnxFormatException refusedWithAReason) {
            // the outcome the reader promises for a broken model
        }
    }
}
