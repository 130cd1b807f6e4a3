package dev.rba.core.approx;

/**
 * Compares outputs of a model with the original's on the same samples, in the terms of a {@link QualityMeasure}.
 * Outputs are flattened row-major with {@code perSample} values per sample; for token embeddings a sample is
 * {@code tokens x width} and {@code mask} (1 = real token, 0 = padding; null = all real) says which tokens count.
 */
public final class OutputComparison {
    private static final long BOOTSTRAP_SEED = 0x5eed_b007L;
    private final QualityMeasure measure;
    private final float[] original;
    private final int perSample;
    private final int width;
    private final byte[] mask;
    private final int[] labels;

    /**
     * @param width  values per token (token embeddings) — ignored otherwise
     * @param mask   [samples * tokens] or null
     * @param labels class labels per sample or null
     */
    public OutputComparison(QualityMeasure measure, float[] original, int perSample, int width, byte[] mask, int[] labels) {
        if (perSample <= 0 || original.length % perSample != 0) {
            throw new IllegalArgumentException("the output has " + original.length + " values, not a multiple of "
                    + perSample + " per sample");
        }
        if (measure == QualityMeasure.TOKEN_EMBEDDINGS && (width <= 0 || perSample % width != 0)) {
            throw new IllegalArgumentException("token embeddings of " + perSample + " values per sample do not split "
                    + "into vectors of width " + width + ": give --quality relative-l2");
        }
        if (measure == QualityMeasure.CLASS_SCORES && labels != null) {
            for (int s = 0; s < labels.length; s++) {
                if (labels[s] < 0 || labels[s] >= perSample) {
                    throw new IllegalArgumentException("held-out sample " + s + " has label " + labels[s] + " but the model "
                            + "scores " + perSample + " classes: the data's labels are not this model's classes; give data "
                            + "labelled with the model's classes, or data without labels");
                }
            }
        }
        this.measure = measure;
        this.original = original;
        this.perSample = perSample;
        this.width = width;
        this.mask = mask;
        this.labels = labels;
    }

    public QualityMeasure measure() {
        return measure;
    }

    /** Output values per sample. */
    public int perSample() {
        return perSample;
    }

    public int samples() {
        return original.length / perSample;
    }

    /** The original model's outputs, all samples (a copy). */
    public float[] originalOutputs() {
        return original.clone();
    }

    /** The original compared with itself: drop 0. */
    public HeldOutScore original() {
        return compare(original, samples());
    }

    /** Scores {@code y}, the model's outputs on the first {@code n} samples. */
    public HeldOutScore compare(float[] y, int n) {
        return evaluate(y, n).score();
    }

    /**
     * Each sample's loss for {@code y}, the model's outputs on the first {@code n} samples: the drop is 100 x their
     * mean. Class scores with labels: the original's top-1 right (1) or not (0) minus the model's, so -1, 0 or 1;
     * without labels: 1 where the top-1 differs from the original's; embeddings: 1 - cosine. Null for relative L2,
     * whose drop is a ratio of sums over the samples, not a mean. What a caller needs to pair two models' scores on
     * the same samples itself (e.g. a study's bootstrap of a difference, or a split of the samples).
     */
    public double[] sampleLosses(float[] y, int n) {
        return measure == QualityMeasure.RELATIVE_L2 ? null : evaluate(y, n).loss();
    }

    /**
     * Two models' outputs on the same first {@code n} samples, in the figure a staged check orders candidates by: the
     * KL divergence of the softmax from the original's (class scores, when {@code byDivergence}; with labels blended
     * as (1 - labelWeight) x KL + labelWeight x the true label's log-loss change), else the drop; each one's value and
     * a paired 95% bootstrap interval of (second - first) over those samples.
     */
    Paired paired(float[] first, float[] second, int n, boolean byDivergence, double labelWeight) {
        Evaluated a = evaluate(first, n);
        Evaluated b = evaluate(second, n);
        boolean kl = byDivergence && measure == QualityMeasure.CLASS_SCORES;
        double w = kl && labels != null ? labelWeight : 0;
        Interval difference;
        if (kl) {
            difference = Interval.bootstrapDifference(blend(a, w), blend(b, w), null, false, 1, BOOTSTRAP_SEED);
        } else if (measure == QualityMeasure.RELATIVE_L2) {
            // the drop is a ratio of sums over the samples, and the original's energy its common denominator
            difference = Interval.bootstrapDifference(a.sqErr(), b.sqErr(), a.sqRef(), true, 100, BOOTSTRAP_SEED);
        } else {
            difference = Interval.bootstrapDifference(a.loss(), b.loss(), null, false, 100, BOOTSTRAP_SEED);
        }
        HeldOutScore sa = a.score();
        HeldOutScore sb = b.score();
        return kl ? new Paired(true, w, mean(blend(a, w)), mean(blend(b, w)), difference)
                : new Paired(false, 0, sa.drop(), sb.drop(), difference);
    }

    /**
     * {@link #paired}'s result: by the (label-blended) KL divergence or by drop, the label weight used (0: KL alone),
     * the two values, the interval of (second - first).
     */
    record Paired(boolean byDivergence, double labelWeight, double first, double second, Interval secondMinusFirst) {
    }

    /** Per sample: (1 - w) x the KL divergence + w x the change of the true label's log-loss. */
    private static double[] blend(Evaluated e, double w) {
        if (w == 0) return e.kl();
        double[] v = new double[e.kl().length];
        for (int s = 0; s < v.length; s++) v[s] = (1 - w) * e.kl()[s] + w * e.logLoss()[s];
        return v;
    }

    /**
     * A score, the per-sample losses its drop is the mean of, the per-sample KL divergences (class scores; zeros
     * otherwise) and the per-sample squared error and squared original (relative L2's sums).
     */
    private record Evaluated(HeldOutScore score, double[] loss, double[] kl, double[] logLoss, double[] sqErr, double[] sqRef) {
    }

    private Evaluated evaluate(float[] y, int n) {
        if (n <= 0 || n > samples() || y.length != (long) n * perSample) {
            throw new IllegalArgumentException("the model's output has " + y.length + " values for " + n + " samples; "
                    + "the original's had " + perSample + " per sample");
        }
        double[] loss = new double[n];
        double[] klPerSample = new double[n];
        double[] logLoss = new double[n];
        double[] sqErr = new double[n];
        double[] sqRef = new double[n];
        for (int s = 0; s < n; s++) {
            int base = s * perSample;
            for (int i = 0; i < perSample; i++) {
                double e = (double) y[base + i] - original[base + i];
                sqErr[s] += e * e;
                sqRef[s] += (double) original[base + i] * original[base + i];
            }
        }
        double relL2 = Math.sqrt(sum(sqErr) / Math.max(Double.MIN_NORMAL, sum(sqRef)));
        double accuracy = Double.NaN;
        double agreement = Double.NaN;
        Interval agreementInterval = new Interval(Double.NaN, Double.NaN);
        double kl = Double.NaN;
        double logLossChange = Double.NaN;
        double cosine = Double.NaN;
        double tokenError = Double.NaN;
        Interval dropInterval;
        double drop;
        switch (measure) {
            case CLASS_SCORES -> {
                int same = 0;
                int correct = 0;
                double klSum = 0;
                for (int s = 0; s < n; s++) {
                    int a = argmax(y, s);
                    int o = argmax(original, s);
                    if (a == o) same++;
                    klPerSample[s] = kl(original, y, s);
                    klSum += klPerSample[s];
                    if (labels != null) {
                        logLoss[s] = logSoftmax(original, s, labels[s]) - logSoftmax(y, s, labels[s]);
                        if (a == labels[s]) correct++;
                        loss[s] = (o == labels[s] ? 1 : 0) - (a == labels[s] ? 1 : 0);
                    } else {
                        loss[s] = a == o ? 0 : 1;
                    }
                }
                agreement = (double) same / n;
                agreementInterval = Interval.wilson(same, n);
                kl = klSum / n;
                if (labels != null) {
                    accuracy = (double) correct / n;
                    logLossChange = mean(logLoss);
                }
                drop = 100 * mean(loss);
                dropInterval = Interval.bootstrap(loss, null, false, 100, BOOTSTRAP_SEED);
            }
            case TOKEN_EMBEDDINGS -> {
                double errMasked = 0;
                double refMasked = 0;
                int tokens = perSample / width;
                double[] py = new double[width];
                double[] po = new double[width];
                for (int s = 0; s < n; s++) {
                    java.util.Arrays.fill(py, 0);
                    java.util.Arrays.fill(po, 0);
                    for (int t = 0; t < tokens; t++) {
                        if (mask != null && mask[s * tokens + t] == 0) continue;
                        int at = s * perSample + t * width;
                        for (int i = 0; i < width; i++) {
                            py[i] += y[at + i];
                            po[i] += original[at + i];
                            double e = (double) y[at + i] - original[at + i];
                            errMasked += e * e;
                            refMasked += (double) original[at + i] * original[at + i];
                        }
                    }
                    loss[s] = 1 - cosine(py, po);
                }
                tokenError = Math.sqrt(errMasked / Math.max(Double.MIN_NORMAL, refMasked));
                cosine = 1 - mean(loss);
                drop = 100 * mean(loss);
                dropInterval = Interval.bootstrap(loss, null, false, 100, BOOTSTRAP_SEED);
            }
            case POOLED_EMBEDDING -> {
                double[] a = new double[perSample];
                double[] b = new double[perSample];
                for (int s = 0; s < n; s++) {
                    for (int i = 0; i < perSample; i++) {
                        a[i] = y[s * perSample + i];
                        b[i] = original[s * perSample + i];
                    }
                    loss[s] = 1 - cosine(a, b);
                }
                cosine = 1 - mean(loss);
                drop = 100 * mean(loss);
                dropInterval = Interval.bootstrap(loss, null, false, 100, BOOTSTRAP_SEED);
            }
            case RELATIVE_L2 -> {
                drop = 100 * relL2;
                dropInterval = Interval.bootstrap(sqErr, sqRef, true, 100, BOOTSTRAP_SEED);
            }
            default -> throw new IllegalStateException(measure.toString());
        }
        return new Evaluated(new HeldOutScore(measure, n, accuracy, agreement, agreementInterval, kl, cosine, tokenError,
                relL2, drop, dropInterval, logLossChange), loss, klPerSample, logLoss, sqErr, sqRef);
    }

    private int argmax(float[] v, int s) {
        int base = s * perSample;
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < perSample; i++) {
            if (v[base + i] > max) {
                max = v[base + i];
                best = i;
            }
        }
        return best;
    }

    /** log softmax(v)[c] of sample s, with the usual max-shift for stability. */
    private double logSoftmax(float[] v, int s, int c) {
        int base = s * perSample;
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < perSample; i++) m = Math.max(m, v[base + i]);
        double z = 0;
        for (int i = 0; i < perSample; i++) z += Math.exp(v[base + i] - m);
        return v[base + c] - m - Math.log(z);
    }

    /** KL(softmax(p) || softmax(q)) of sample s, in nats, with the usual max-shift for stability. */
    private double kl(float[] p, float[] q, int s) {
        int base = s * perSample;
        double mp = Double.NEGATIVE_INFINITY;
        double mq = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < perSample; i++) {
            mp = Math.max(mp, p[base + i]);
            mq = Math.max(mq, q[base + i]);
        }
        double zp = 0;
        double zq = 0;
        for (int i = 0; i < perSample; i++) {
            zp += Math.exp(p[base + i] - mp);
            zq += Math.exp(q[base + i] - mq);
        }
        double lzp = Math.log(zp);
        double lzq = Math.log(zq);
        double kl = 0;
        for (int i = 0; i < perSample; i++) {
            double lp = p[base + i] - mp - lzp;
            double lq = q[base + i] - mq - lzq;
            kl += Math.exp(lp) * (lp - lq);
        }
        return Math.max(0, kl);
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 && nb == 0) return 1;
        if (na == 0 || nb == 0) return 0;
        return dot / Math.sqrt(na * nb);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : sum(v) / v.length;
    }
}
