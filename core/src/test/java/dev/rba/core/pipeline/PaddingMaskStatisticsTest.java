package dev.rba.core.pipeline;

import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.linalg.JavaBackend;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The padding mask is the input that gates attention, whatever its name: hf_bert_input_mask is hf_bert_tiny with its
 * mask input named input_mask, so on the same samples every statistic must be the one of hf_bert_tiny with
 * attention_mask (16 + 12 + 9 + 5 real tokens, no padding row).
 */
class PaddingMaskStatisticsTest {
    private static StreamStatistics statistics(String stem, String maskOption) throws IOException {
        try (OnnxLoadedModel m = OnnxLoadedModel.open(SummaryTokenTest.repo("fixtures/models/" + stem + ".onnx"), List.of());
             JavaBackend backend = new JavaBackend()) {
            if (maskOption != null) m.useMaskInput(maskOption);
            CalibrationData cd = DataSources.open(SummaryTokenTest.repo("fixtures/models/" + stem + ".expected.npz"),
                    m.inputSpecs(), DataOptions.defaults(m.metadata()));
            CalibrationOptions o = CalibrationOptions.defaults().withBatchSize(3).withRuntime(1, false)
                    .withSummaryToken(TokenSelection.MEAN);
            return CalibrationPass.run(m, cd, new int[] {0, 1, 2, 3}, backend, o, null, null).fitStatistics();
        }
    }

    @Test
    void theMaskIsFoundFromTheGraphNotTheName() throws IOException {
        try (OnnxLoadedModel bert = OnnxLoadedModel.open(SummaryTokenTest.repo("fixtures/models/hf_bert_input_mask.onnx"), List.of());
             OnnxLoadedModel vit = OnnxLoadedModel.open(SummaryTokenTest.repo("fixtures/models/vit_fmnist_b8.onnx"), List.of())) {
            assertEquals("input_mask", bert.mask().input(), bert.mask().note());
            assertTrue(bert.mask().note().contains("Softmax"), bert.mask().note());
            assertNull(vit.mask().input());
            assertTrue(vit.mask().note().startsWith("none"), vit.mask().note());
        }
    }

    @Test
    void renamedMaskGivesTheStatisticsOfTheAttentionMaskModel() throws IOException {
        StreamStatistics reference = statistics("hf_bert_tiny", null);
        StreamStatistics renamed = statistics("hf_bert_input_mask", null);
        assertEquals(16 + 12 + 9 + 5, reference.rows(), "real tokens only");
        assertEquals(reference.rows(), renamed.rows());
        for (int k = 0; k < reference.names().size(); k++) {
            assertArrayEquals(reference.gram(k), renamed.gram(k), 1e-9, "Gram of h_" + k);
            assertArrayEquals(reference.columnSums(k), renamed.columnSums(k), 1e-9, "column sums of h_" + k);
        }
        // Told there is no mask, the padding rows come in: what happened to every input not named attention_mask
        assertEquals(4 * 16, statistics("hf_bert_input_mask", "none").rows());
    }
}
