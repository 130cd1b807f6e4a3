package dev.rba.core.approx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.fit.FitResult;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statistics file is reused only for the model and the samples it was computed from: a retrained-like model (same
 * tensor names, one weight changed), other data, or another sample selection is refused with a one-line message.
 */
class StaleStatisticsFixtureTest extends OnVitFixture {
    private static final int FIT = 48;
    private static final int BATCH = 16;

    private static FitResult fit(OnnxLoadedModel m, CalibrationData d, ApproximationOptions o) throws Exception {
        return new Approximator(m, d, backend, o, ProgressListener.NONE).approximate(List.of(new Span(2, 3)))
                .fits().getFirst().fit();
    }

    /** The fixture with one float of block 3's norm1 weight changed: what retraining with the same names gives. */
    private static Path retrained(Path dir) throws Exception {
        OnnxModel m = OnnxModel.fromProto(model.file().proto());
        Value w = m.graph().initializers().stream().filter(v -> v.name().equals("blocks.3.norm1.weight")).findFirst()
                .orElseThrow();
        ByteBuffer raw = ByteBuffer.wrap(w.initializer().getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        raw.putFloat(0, raw.getFloat(0) * 1.01f);
        TensorProto changed = w.initializer().toBuilder().setRawData(ByteString.copyFrom(raw.array())).build();
        w.setInitializer(changed);
        Path out = dir.resolve("retrained.onnx");
        OnnxModelWriter.write(m.toProto(), out);
        return out;
    }

    @Test
    void statisticsOfAnotherModelOrOtherDataAreRefused(@TempDir Path dir) throws Exception {
        Path stats = dir.resolve("vit.stats");
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(FIT, 0).withBatchSize(BATCH)
                .withRuntime(1, false).withStatsFile(stats);
        FitResult first = fit(model, data, o);
        long written = Files.getLastModifiedTime(stats).toMillis();

        // same model, data, samples (another batch size does not matter): read back, not rewritten, the same T (up to
        // the solver's last bits)
        assertArrayEquals(first.t(), fit(model, data, o.withBatchSize(8)).t(), 1e-9);
        assertEquals(written, Files.getLastModifiedTime(stats).toMillis());

        try (OnnxLoadedModel other = OnnxLoadedModel.open(retrained(dir), List.of())) {
            assertEquals(model.boundaryNames(), other.boundaryNames(), "same tensor names: names alone cannot tell");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(other, data, o));
            assertTrue(e.getMessage().contains("computed on another model"), e.getMessage());
            assertTrue(e.getMessage().contains("--stats"), e.getMessage());
        }
        CalibrationData train = DataSources.open(VitFixture.fashionMnist(), model.inputSpecs(),
                new DataOptions("train", false, null, model.metadata()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(model, train, o));
        assertTrue(e.getMessage().contains("other data or samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fit(model, data, o.withSeed(99)));
        assertTrue(e.getMessage().contains("other data or samples"), e.getMessage());
        assertEquals(written, Files.getLastModifiedTime(stats).toMillis(), "a refused file is left as it was");
    }
}
