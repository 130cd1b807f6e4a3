package dev.rba.core.onnx;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.core.data.Float16;
import dev.rba.core.stats.StatisticsPlan;
import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.TokenSelection;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pass's choices that do not need a model: statistics layout, activation conversion. */
class CalibrationPlanTest {

    @Test
    void narrowModelsKeepOneJointGramOfAllStreams() {
        StatisticsPlan p = CapturePass.fitPlan(names(13), widths(13, 768), TokenSelection.CLS, 0, null);
        assertTrue(p.joint(), "ViT-B: 13 x 768 = 9,984 columns fit one Gram");
        assertEquals(TokenSelection.ALL, p.selection());
        assertEquals(13 * 12 / 2, p.pairs().size());
    }

    @Test
    void wideModelsKeepOnlySpanPairsUpToTheMaxSpan() {
        StatisticsPlan p = CapturePass.fitPlan(names(25), widths(25, 1024), TokenSelection.CLS, 3, null);
        assertFalse(p.joint(), "ViT-L: 25 x 1024 columns is too wide for one Gram");
        List<StreamPair> expected = new ArrayList<>();
        for (int i = 0; i < 24; i++) for (int j = i; j < 24 && j - i < 3; j++) expected.add(new StreamPair(i, j + 1));
        assertEquals(expected, p.pairs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapturePass.fitPlan(names(25), widths(25, 1024), TokenSelection.CLS, 0, null));
        assertTrue(e.getMessage().contains("--max-span"), e.getMessage());
    }

    @Test
    void chosenPairsKeepOnlyTheirGramsAndUseOnlyTheirStreams() {
        // --replace 9-10 on a ViT-B: one [h_9 | h_11] Gram (1,536^2), not the 9,984^2 joint one; h_9 and h_11 only
        StatisticsPlan p = CapturePass.fitPlan(names(13), widths(13, 768), TokenSelection.CLS, 0,
                List.of(new StreamPair(9, 11), new StreamPair(11, 9)));
        assertFalse(p.joint());
        assertEquals(List.of(new StreamPair(9, 11)), p.pairs(), "a pair given twice (either order) is kept once");
        boolean[] used = p.usedStreams();
        for (int k = 0; k < 13; k++) assertEquals(k == 9 || k == 11, used[k], "h_" + k);
    }

    @Test
    void manyChosenPairsOfANarrowModelShareTheCheaperJointGram() {
        List<StreamPair> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) for (int j = i; j < 4; j++) all.add(new StreamPair(i, j + 1));
        StatisticsPlan p = CapturePass.fitPlan(names(5), widths(5, 8), TokenSelection.CLS, 0, all);
        assertTrue(p.joint(), "10 pairs x 16^2 = 2,560 values > one 40^2 = 1,600 joint Gram");
        boolean[] used = p.usedStreams();
        for (boolean u : used) assertTrue(u);
    }

    @Test
    void statisticsThatCannotFitTheHeapAreRefusedBeforeThePass() {
        // CKA over every h_k of a 32-block d=1280 model: one joint Gram of 42,240 columns, 13.3 GiB, held twice
        StatisticsPlan cka = StatisticsPlan.allPairs(names(33), widths(33, 1280), TokenSelection.CLS, TokenSelection.CLS);
        long need = 2L * 42_240 * 42_240 * Double.BYTES;
        assertTrue(need > Runtime.getRuntime().maxMemory(), "the test JVM's heap is smaller than 26.6 GiB");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CapturePass.checkHeap(cka, null));
        assertTrue(e.getMessage().contains("--metric br,cosine,mse") && e.getMessage().contains("-Xmx"), e.getMessage());
        // sample-space CKA's rows and kernels count too: too many samples are refused, naming --samples
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> CapturePass.checkHeap(
                Runtime.getRuntime().maxMemory() + 1,
                StatisticsPlan.rowSumsOnly(names(33), widths(33, 1280), TokenSelection.CLS, TokenSelection.CLS)));
        assertTrue(rows.getMessage().contains("--samples") && rows.getMessage().contains("kernels"), rows.getMessage());
        // without CKA: per-pair sums only; and a fit of one span of the same model: one 2,560^2 Gram
        CapturePass.checkHeap(StatisticsPlan.rowSumsOnly(names(33), widths(33, 1280), TokenSelection.CLS, TokenSelection.CLS),
                CapturePass.fitPlan(names(33), widths(33, 1280), TokenSelection.CLS, 0, List.of(new StreamPair(20, 22))));
    }

    @Test
    void halfAndDoubleActivationsBecomeFloat() {
        float[] values = {0f, 1.5f, -2.25f, 65504f, 0.000061035156f, 3.140625f};
        try (Arena arena = Arena.ofConfined(); ActivationFloats floats = new ActivationFloats()) {
            MemorySegment half = arena.allocate(values.length * 2L);
            MemorySegment dbl = arena.allocate(values.length * 8L);
            for (int i = 0; i < values.length; i++) {
                half.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(values[i]));
                dbl.setAtIndex(ValueLayout.JAVA_DOUBLE, i, values[i]);
            }
            float[] fromHalf = floats.asFloat32(0, half, OnnxJavaType.FLOAT16, values.length).toArray(ValueLayout.JAVA_FLOAT);
            float[] fromDouble = floats.asFloat32(1, dbl, OnnxJavaType.DOUBLE, values.length).toArray(ValueLayout.JAVA_FLOAT);
            assertEquals(Arrays.toString(values), Arrays.toString(fromHalf), "these values are exact in float16");
            assertEquals(Arrays.toString(values), Arrays.toString(fromDouble));
            MemorySegment f32 = arena.allocate(values.length * 4L);
            MemorySegment same = floats.asFloat32(2, f32, OnnxJavaType.FLOAT, values.length);
            assertEquals(f32.address(), same.address(), "float32 passes through without a copy");
        }
    }

    static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add("h_" + i);
        return out;
    }

    static int[] widths(int n, int d) {
        int[] w = new int[n];
        Arrays.fill(w, d);
        return w;
    }
}
