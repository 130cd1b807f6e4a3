package dev.rba.core.approx;

import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pass that captures only the h_k of the wanted pairs (what {@code approximate --replace} runs) gives the same
 * statistics for those pairs as the pass over every h_k in one joint Gram, and nothing for the others.
 */
class ChosenPairsCalibrationTest extends OnVitFixture {

    @Test
    void onlyTheWantedPairMatchesTheJointPass() {
        int[] samples = new int[48];
        for (int i = 0; i < samples.length; i++) samples[i] = 3 * i;
        CalibrationOptions all = new CalibrationOptions(16, 1, false, TokenSelection.CLS, TokenSelection.ALL, 0);
        StreamStatistics joint = CalibrationPass.run(model, data, samples, backend, all, null, null).fitStatistics();
        StreamStatistics chosen = CalibrationPass.run(model, data, samples, backend,
                all.withFitPairs(List.of(new StreamPair(2, 5))), null, null).fitStatistics();
        assertTrue(joint.plan().joint());
        assertFalse(chosen.plan().joint());
        assertEquals(joint.rows(), chosen.rows());
        assertEquals(joint.samples(), chosen.samples());
        double[] want = joint.centredCrossGram(2, 5);
        double[] got = chosen.centredCrossGram(2, 5);
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * scale, "cross-Gram entry " + i);
        double[] gram = joint.centredGram(5);
        double[] gramChosen = chosen.centredGram(5);
        for (int i = 0; i < gram.length; i++) assertEquals(gram[i], gramChosen[i], 1e-5 * scale, "Gram entry " + i);
        // ONNX Runtime may fuse differently when other tensors are outputs: the activations agree to float rounding
        assertEquals(joint.summaryCosineSum(2, 5), chosen.summaryCosineSum(2, 5), 1e-6 * samples.length);
        assertEquals(joint.rowSquaredDifferenceSum(2, 5), chosen.rowSquaredDifferenceSum(2, 5),
                1e-6 * Math.abs(joint.rowSquaredDifferenceSum(2, 5)));
        assertFalse(chosen.hasRowSums(3, 4), "a pair not asked for is not accumulated");
        assertThrows(IllegalArgumentException.class, () -> chosen.centredCrossGram(3, 4));
    }
}
