package dev.rba.core.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleSplitTest {
    @Test
    void disjointSortedAndDeterministic() {
        SampleSplit a = SampleSplit.seeded(1000, 500, 200, 42);
        SampleSplit b = SampleSplit.seeded(1000, 500, 200, 42);
        assertArrayEquals(a.fit(), b.fit());
        assertArrayEquals(a.check(), b.check());
        assertEquals(500, a.fit().length);
        assertEquals(200, a.check().length);
        Set<Integer> seen = new HashSet<>();
        for (int i : a.fit()) assertTrue(seen.add(i) && i >= 0 && i < 1000);
        for (int i : a.check()) assertTrue(seen.add(i) && i >= 0 && i < 1000, "fit and check are disjoint");
        int[] sorted = a.fit().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a.fit());
        assertFalse(Arrays.equals(a.fit(), SampleSplit.seeded(1000, 500, 200, 43).fit()), "the seed matters");
        // Not simply the first 500: the split is random.
        assertFalse(Arrays.equals(a.fit(), java.util.stream.IntStream.range(0, 500).toArray()));
    }

    @Test
    void everySampleWhenCountsAddUpToN() {
        SampleSplit s = SampleSplit.seeded(10, 7, 3, 1);
        Set<Integer> all = new HashSet<>();
        for (int i : s.fit()) all.add(i);
        for (int i : s.check()) all.add(i);
        assertEquals(10, all.size());
    }

    @Test
    void tooManyIsABadInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SampleSplit.seeded(200, 500, 100, 1));
        assertTrue(e.getMessage().contains("200 samples") && e.getMessage().contains("500"), e.getMessage());
    }
}
