package dev.rba.core.eval;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MACs of a model with a dynamic sequence length are those at the data's length, not at block discovery's probe
 * length (16): checked against the closed form of hf_bert_tiny (4 post-norm layers, d 32, FFN 128, 2 labels). Per
 * token and layer: Q, K, V, output dense 4 d^2 and the FFN 2 d 128; per token pair: QK^T and AV, 2 d; per sample: the
 * pooler d^2 and the classifier 2 d.
 */
class DynamicLengthMacsTest {
    static final Path BERT = EvaluatorTest.FIXTURES.resolve("models/hf_bert_tiny.onnx");

    static long closedForm(long t) {
        long d = 32;
        return 4 * (t * (4 * d * d + 2 * d * 128) + 2 * d * t * t) + d * d + 2 * d;
    }

    private static EvaluationReport evaluate(Path dir, int tokens) throws Exception {
        NdArray ids = NdArray.allocate(ElementType.INT64, 2, tokens);
        NdArray mask = NdArray.allocate(ElementType.INT64, 2, tokens);
        for (int i = 0; i < 2 * tokens; i++) {
            ids.setLong(i, 1 + (i * 37) % 999);
            mask.setLong(i, 1);
        }
        Path f = dir.resolve("tokens-" + tokens + ".npz");
        Npz.write(f, new LinkedHashMap<>(Map.of("input_ids", ids, "attention_mask", mask)), true);
        CalibrationData data;
        try (LoadedModel m = LoadedModel.open(BERT, List.of())) {
            data = DataSources.open(f, m.inputSpecs(), DataOptions.defaults(m.metadata()));
        }
        return Evaluator.evaluate(BERT, null, data, EvaluationOptions.defaults().withLatency(0, 0).withThreads(1));
    }

    @Test
    void macsAreCountedAtTheDatasLength(@TempDir Path dir) throws Exception {
        EvaluationReport at64 = evaluate(dir, 64);
        assertEquals(closedForm(64), at64.model().size().macsPerSample(), "64 tokens");
        assertTrue(at64.notes().stream().anyMatch(n -> n.contains("data's length of 64")), at64.notes().toString());
        EvaluationReport at16 = evaluate(dir, 16);
        assertEquals(closedForm(16), at16.model().size().macsPerSample(), "16 tokens");
        assertTrue(closedForm(64) > 4 * closedForm(16), "attention makes it more than linear in the length");
    }
}
