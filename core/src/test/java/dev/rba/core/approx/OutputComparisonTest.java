package dev.rba.core.approx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each quality measure against figures worked out by hand, and the intervals against closed forms. */
class OutputComparisonTest {
    @Test
    void detectionFollowsShapeAndName() {
        assertEquals(QualityMeasure.CLASS_SCORES, QualityMeasure.detect("logits", new long[] {8, 10}));
        assertEquals(QualityMeasure.CLASS_SCORES, QualityMeasure.detect("output_0", new long[] {8, 1000}));
        assertEquals(QualityMeasure.POOLED_EMBEDDING, QualityMeasure.detect("sentence_embedding", new long[] {8, 384}));
        assertEquals(QualityMeasure.POOLED_EMBEDDING, QualityMeasure.detect("pooler_output", new long[] {8, 384}));
        assertEquals(QualityMeasure.TOKEN_EMBEDDINGS, QualityMeasure.detect("last_hidden_state", new long[] {8, 12, 384}));
        assertEquals(QualityMeasure.RELATIVE_L2, QualityMeasure.detect("depth", new long[] {8, 1, 28, 28}));
    }

    @Test
    void classScoresWithLabels() {
        // 4 samples, 3 classes. Original top-1: 0, 1, 2, 0; labels 0, 1, 1, 0 (original right on 3 of 4)
        float[] orig = {3, 1, 0, 0, 2, 1, 0, 1, 5, 2, 0, 0};
        // model top-1: 0, 2, 1, 0 -> agrees on samples 0 and 3; right on 0, 2, 3
        float[] model = {3, 1, 0, 0, 1, 2, 0, 4, 1, 2, 0, 0};
        OutputComparison c = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, new int[] {0, 1, 1, 0});
        HeldOutScore s = c.compare(model, 4);
        assertEquals(0.75, s.accuracy(), 1e-12);
        assertEquals(0.5, s.agreement(), 1e-12);
        assertEquals(0.0, s.drop(), 1e-12, "3 of 4 right before and after: no accuracy drop");
        assertEquals(0.0, c.original().drop());
        assertEquals(0.75, c.original().accuracy(), 1e-12);
        // KL of sample 1: p = softmax(0,2,1), q = softmax(0,1,2); samples 0 and 3 are identical (KL 0)
        double kl1 = kl(new double[] {0, 2, 1}, new double[] {0, 1, 2});
        double kl2 = kl(new double[] {0, 1, 5}, new double[] {0, 4, 1});
        assertEquals((kl1 + kl2) / 4, s.klDivergence(), 1e-9);
        // without labels the drop is 100 (1 - agreement)
        HeldOutScore u = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, null).compare(model, 4);
        assertEquals(50.0, u.drop(), 1e-12);
        assertTrue(Double.isNaN(u.accuracy()));
        // the first n samples only: samples 0 and 1 -> agreement 1/2
        assertEquals(0.5, c.compare(java.util.Arrays.copyOf(model, 6), 2).agreement(), 1e-12);
    }

    @Test
    void sampleLossesAreWhatTheDropIsTheMeanOf() {
        // the samples of classScoresWithLabels: original right on 0, 1, 3; model right on 0, 2, 3; agrees on 0 and 3
        float[] orig = {3, 1, 0, 0, 2, 1, 0, 1, 5, 2, 0, 0};
        float[] model = {3, 1, 0, 0, 1, 2, 0, 4, 1, 2, 0, 0};
        OutputComparison labelled = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, new int[] {0, 1, 1, 0});
        assertArrayEquals(new double[] {0, 1, -1, 0}, labelled.sampleLosses(model, 4));
        OutputComparison unlabelled = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, null);
        assertArrayEquals(new double[] {0, 1, 1, 0}, unlabelled.sampleLosses(model, 4));
        assertArrayEquals(new double[] {0, 1}, unlabelled.sampleLosses(java.util.Arrays.copyOf(model, 6), 2));
        // pooled vectors (3,4)/(4,3): cosine 24/25; (1,0)/(1,0): 1
        OutputComparison pooled = new OutputComparison(QualityMeasure.POOLED_EMBEDDING, new float[] {3, 4, 1, 0}, 2, 0, null, null);
        float[] p = {4, 3, 1, 0};
        assertArrayEquals(new double[] {1.0 / 25, 0}, pooled.sampleLosses(p, 2), 1e-12);
        assertEquals(pooled.compare(p, 2).drop(), 100 * (1.0 / 25 + 0) / 2, 1e-9);
        assertNull(new OutputComparison(QualityMeasure.RELATIVE_L2, orig, 3, 0, null, null).sampleLosses(model, 4),
                "relative L2 is a ratio of sums: no per-sample loss");
    }

    @Test
    void tokenEmbeddingsPoolOnlyRealTokens() {
        // 1 sample, 3 tokens of width 2; token 2 is padding and differs wildly
        float[] orig = {1, 0, 0, 1, 100, -100};
        float[] model = {1, 0, 0, 1, -7, 3};
        byte[] mask = {1, 1, 0};
        HeldOutScore s = new OutputComparison(QualityMeasure.TOKEN_EMBEDDINGS, orig, 6, 2, mask, null).compare(model, 1);
        assertEquals(1.0, s.cosine(), 1e-12);
        assertEquals(0.0, s.drop(), 1e-9);
        assertEquals(0.0, s.tokenRelativeError(), 1e-12);
        // pooled (1,1) vs (1,2): cosine 3 / (sqrt 2 sqrt 5)
        float[] model2 = {1, 0, 0, 2, 0, 0};
        HeldOutScore t = new OutputComparison(QualityMeasure.TOKEN_EMBEDDINGS, orig, 6, 2, mask, null).compare(model2, 1);
        double cos = 3 / (Math.sqrt(2) * Math.sqrt(5));
        assertEquals(cos, t.cosine(), 1e-12);
        assertEquals(100 * (1 - cos), t.drop(), 1e-9);
        assertEquals(Math.sqrt(1.0 / 2.0), t.tokenRelativeError(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> new OutputComparison(QualityMeasure.TOKEN_EMBEDDINGS, orig, 6, 4, mask, null));
    }

    @Test
    void pooledCosineAndRelativeL2() {
        float[] orig = {3, 4, 1, 0};
        float[] model = {4, 3, 1, 0};
        HeldOutScore p = new OutputComparison(QualityMeasure.POOLED_EMBEDDING, orig, 2, 0, null, null).compare(model, 2);
        assertEquals((24.0 / 25 + 1) / 2, p.cosine(), 1e-12);
        HeldOutScore r = new OutputComparison(QualityMeasure.RELATIVE_L2, orig, 2, 0, null, null).compare(model, 2);
        assertEquals(100 * Math.sqrt(2.0 / 26), r.drop(), 1e-9);
        assertEquals(Math.sqrt(2.0 / 26), r.outputRelativeError(), 1e-12);
    }

    @Test
    void intervals() {
        // Wilson's interval of 8/10 at 95%: [0.4902, 0.9433] (closed form, e.g. Newcombe 1998, table I)
        Interval w = Interval.wilson(8, 10);
        assertEquals(0.4902, w.low(), 1e-4);
        assertEquals(0.9433, w.high(), 1e-4);
        assertEquals(0.0, Interval.wilson(0, 20).low(), 1e-12);
        double[] same = {0.5, 0.5, 0.5};
        assertEquals(Interval.point(50), Interval.bootstrap(same, null, false, 100, 1));
        double[] v = new double[400];
        for (int i = 0; i < v.length; i++) v[i] = i % 4 == 0 ? 1 : 0;   // mean 0.25, sd 0.433
        Interval b = Interval.bootstrap(v, null, false, 1, 7);
        assertEquals(b, Interval.bootstrap(v, null, false, 1, 7), "seeded: the same data gives the same interval");
        // normal approximation: 0.25 +- 1.96 * 0.433 / 20 = [0.2076, 0.2924]; the bootstrap is within a few 0.01
        assertEquals(0.2076, b.low(), 0.015);
        assertEquals(0.2924, b.high(), 0.015);
        assertTrue(b.overlaps(new Interval(0.29, 0.4)));
        assertTrue(!b.overlaps(new Interval(0.31, 0.4)));
    }

    @Test
    void pairedDifferenceResamplesTheSamplesOfBothTogether() {
        // b - a per sample: 0.1 on 3 of 4 samples, 0.5 on the 4th; a alone varies far more than the difference does
        double[] a = new double[400];
        double[] b = new double[400];
        double[] diff = new double[400];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i * 37) % 11;
            diff[i] = i % 4 == 0 ? 0.5 : 0.1;
            b[i] = a[i] + diff[i];
        }
        // the same seed draws the same samples, so the paired interval is the plain bootstrap of the differences
        Interval paired = Interval.bootstrapDifference(a, b, null, false, 1, 7);
        Interval direct = Interval.bootstrap(diff, null, false, 1, 7);
        assertEquals(direct.low(), paired.low(), 1e-9);
        assertEquals(direct.high(), paired.high(), 1e-9);
        // mean 0.2, sd 0.1732: 0.2 +- 1.96 * 0.1732 / 20 = [0.183, 0.217]; nowhere near 0, though a's own interval
        // (sd about 3.2) is 20 times wider
        assertEquals(0.183, paired.low(), 0.005);
        assertEquals(0.217, paired.high(), 0.005);
        assertTrue(!paired.containsZero());
        assertTrue(Interval.bootstrapDifference(a, a, null, false, 1, 7).containsZero());
        // a ratio figure, 100 (sqrt(sum b / sum den) - sqrt(sum a / sum den)): with den = a + 1 and b = 4 (a + 1), a
        // + 1 gives 1 on every resample and b 2, so the difference is 100 on each
        double[] one = new double[400];
        double[] four = new double[400];
        for (int i = 0; i < one.length; i++) {
            one[i] = a[i] + 1;
            four[i] = 4 * one[i];
        }
        assertEquals(Interval.point(100), Interval.bootstrapDifference(one, four, one, true, 100, 3));
        assertThrows(IllegalArgumentException.class, () -> Interval.bootstrapDifference(a, new double[3], null, false, 1, 1));
    }

    @Test
    void pairedFiguresAreEachModelsOwnScoreOnTheSameSamples() {
        // the samples of classScoresWithLabels: KL of the model is (kl1 + kl2) / 4, of the original itself 0
        float[] orig = {3, 1, 0, 0, 2, 1, 0, 1, 5, 2, 0, 0};
        float[] model = {3, 1, 0, 0, 1, 2, 0, 4, 1, 2, 0, 0};
        OutputComparison c = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, new int[] {0, 1, 1, 0});
        OutputComparison.Paired byKl = c.paired(orig, model, 4, true, 0);
        assertTrue(byKl.byDivergence());
        assertEquals(0, byKl.first(), 1e-12);
        assertEquals(c.compare(model, 4).klDivergence(), byKl.second(), 1e-12);
        // per-sample KL differences 0, kl1, kl2, 0: every resample's mean lies within [0, max(kl1, kl2)]
        double kl1 = kl(new double[] {0, 2, 1}, new double[] {0, 1, 2});
        double kl2 = kl(new double[] {0, 1, 5}, new double[] {0, 4, 1});
        assertTrue(byKl.secondMinusFirst().low() >= 0 && byKl.secondMinusFirst().high() <= Math.max(kl1, kl2) + 1e-12);
        // by drop: both drops are 0 (3 of 4 right either way), the per-sample losses 0, 1, -1, 0 pair to a
        // difference whose interval holds 0
        OutputComparison.Paired byDrop = c.paired(orig, model, 4, false, 0);
        assertTrue(!byDrop.byDivergence());
        assertEquals(0, byDrop.second(), 1e-12);
        assertTrue(byDrop.secondMinusFirst().containsZero());
        // a model against itself: a point interval at 0
        assertEquals(Interval.point(0), c.paired(model, model, 4, true, 0).secondMinusFirst());
        // relative L2 pairs the ratio of sums: (3,4) against (3,4) exact, against (0,0) 100 points
        OutputComparison l2 = new OutputComparison(QualityMeasure.RELATIVE_L2, new float[] {3, 4, 3, 4}, 2, 0, null, null);
        OutputComparison.Paired r = l2.paired(new float[] {3, 4, 3, 4}, new float[] {0, 0, 0, 0}, 2, true, 0);
        assertTrue(!r.byDivergence(), "KL is for class scores only");
        assertEquals(100, r.second() - r.first(), 1e-9);
        assertEquals(Interval.point(100), r.secondMinusFirst());
    }

    @Test
    void logLossChangeIsTheTrueLabelsNegativeLogLikelihoodModelMinusOriginal() {
        // the samples of classScoresWithLabels, labels 0, 1, 1, 0: samples 0 and 3 are unchanged (0); sample 1 (label
        // 1): -log softmax(0,1,2)[1] + log softmax(0,2,1)[1]; sample 2 (label 1): -log softmax(0,4,1)[1] + log
        // softmax(0,1,5)[1]
        float[] orig = {3, 1, 0, 0, 2, 1, 0, 1, 5, 2, 0, 0};
        float[] model = {3, 1, 0, 0, 1, 2, 0, 4, 1, 2, 0, 0};
        int[] labels = {0, 1, 1, 0};
        OutputComparison c = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, labels);
        double d1 = -Math.log(softmax(new double[] {0, 1, 2})[1]) + Math.log(softmax(new double[] {0, 2, 1})[1]);
        double d2 = -Math.log(softmax(new double[] {0, 4, 1})[1]) + Math.log(softmax(new double[] {0, 1, 5})[1]);
        assertEquals((d1 + d2) / 4, c.compare(model, 4).logLossChange(), 1e-9);
        assertEquals(0, c.original().logLossChange(), 1e-12);
        assertTrue(Double.isNaN(new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, null)
                .compare(model, 4).logLossChange()), "no labels, no log-loss");
        // the blended figure a labelled stage orders by: (1 - w) KL + w log-loss change, the original's 0
        double kl = (kl(new double[] {0, 2, 1}, new double[] {0, 1, 2}) + kl(new double[] {0, 1, 5}, new double[] {0, 4, 1})) / 4;
        OutputComparison.Paired p = c.paired(orig, model, 4, true, 0.25);
        assertEquals(0.25, p.labelWeight());
        assertEquals(0, p.first(), 1e-12);
        assertEquals(0.75 * kl + 0.25 * (d1 + d2) / 4, p.second(), 1e-9);
        SearchOptions w = SearchOptions.defaults().withLabelWeight(0.25);
        assertEquals(p.second(), w.stageLoss(c.compare(model, 4)), 1e-9);
        // without labels the weight does not apply: KL alone
        OutputComparison unlabelled = new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, null);
        assertEquals(0, unlabelled.paired(orig, model, 4, true, 0.25).labelWeight());
        assertEquals(kl, w.stageLoss(unlabelled.compare(model, 4)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> SearchOptions.defaults().withLabelWeight(1.5));
    }

    @Test
    void labelsOutsideTheModelsClassesAreRefused() {
        float[] orig = {3, 1, 0, 0, 2, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OutputComparison(QualityMeasure.CLASS_SCORES, orig, 3, 0, null, new int[] {0, 3}));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("3 classes"), e.getMessage());
    }

    private static double kl(double[] p, double[] q) {
        double[] a = softmax(p);
        double[] b = softmax(q);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * Math.log(a[i] / b[i]);
        return s;
    }

    private static double[] softmax(double[] x) {
        double z = 0;
        for (double v : x) z += Math.exp(v);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.exp(x[i]) / z;
        return out;
    }
}
