package dev.rba.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Disjoint fit and check subsets of the sample indices 0..n-1: the fit subset estimates the statistics and T, the
 * check subset scores candidate spans on held-out data. Each subset is sorted so that sequential sources are read
 * in order.
 */
public record SampleSplit(int[] fit, int[] check) {

    /**
     * A seeded random split: the same n, counts and seed always give the same subsets (Fisher-Yates shuffle driven by
     * SplittableRandom, whose sequence is fixed by its specification).
     */
    public static SampleSplit seeded(int n, int fitCount, int checkCount, long seed) {
        if (fitCount < 0 || checkCount < 0) {
            throw new InvalidInputException("sample counts must not be negative (fit " + fitCount + ", check "
                    + checkCount + ")");
        }
        if ((long) fitCount + checkCount > n) {
            throw new InvalidInputException("the calibration data has " + n + " samples but " + fitCount
                    + " fit + " + checkCount + " check samples were asked for: ask for fewer or give more data");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] fit = Arrays.copyOfRange(perm, 0, fitCount);
        int[] check = Arrays.copyOfRange(perm, fitCount, fitCount + checkCount);
        Arrays.sort(fit);
        Arrays.sort(check);
        return new SampleSplit(fit, check);
    }
}
