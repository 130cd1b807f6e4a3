package dev.rba.core.tools;

import dev.rba.core.tools.DiscoveryBench.Config;
import dev.rba.core.tools.DiscoveryBench.Graph;
import dev.rba.core.tools.DiscoveryBench.Report;
import dev.rba.core.tools.DiscoveryBench.Timing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discovery benchmark's verdict, on made-up timings (no clock): linear growth passes, quadratic growth and a wrong
 * answer fail; and one small real run gets the right answers (the encoder's blocks found, the Identity chain
 * refused), whatever its times.
 */
class DiscoveryBenchTest {
    private static final Config SIZES = new Config(List.of(25_000, 50_000, 100_000, 200_000), 3);

    @Test
    void linearGrowthPassesQuadraticFails() {
        Report linear = report(n -> 1e-6 * n, true);
        assertEquals(8.0, linear.ratio(Graph.ENCODER), 1e-9);
        assertEquals(Math.pow(8, 1.5), linear.bound(Graph.ENCODER), 1e-9);
        assertTrue(linear.passed(), linear.table());
        assertTrue(linear.table().contains("identity-chain: t(200,000)/t(25,000) = 8.0x (linear 8x, quadratic 64x; bound 22.6x): linear"),
                linear.table());
        assertTrue(linear.table().contains("issue 13 (information): 200,000 Identity nodes in 0.20 CPU s, bound 2 s"), linear.table());

        Report quadratic = report(n -> 1e-11 * n * n, true);
        assertEquals(64.0, quadratic.ratio(Graph.IDENTITY_CHAIN), 1e-9);
        assertFalse(quadratic.passed());
        assertTrue(quadratic.table().contains("GROWS FASTER THAN LINEAR"), quadratic.table());
        // n log n, as a sort would cost, stays within the bound: 8 x log(200k)/log(25k) = 9.6x
        assertTrue(report(n -> 1e-7 * n * Math.log(n), true).passed());

        Report wrong = report(n -> 1e-6 * n, false);
        assertFalse(wrong.passed());
        assertTrue(wrong.table().contains("(WRONG)"), wrong.table());
    }

    @Test
    void aSmallRunGetsTheRightAnswers() {
        List<String> heard = new ArrayList<>();
        Report r = DiscoveryBench.run(new Config(List.of(200, 400), 1), heard::add);
        assertEquals(List.of("identity-chain at 200 nodes", "identity-chain at 400 nodes", "encoder at 200 nodes",
                "encoder at 400 nodes"), heard);
        assertEquals(4, r.timings().size());
        for (Timing t : r.timings()) {
            assertTrue(t.correct(), t.toString());
            assertTrue(t.cpuSeconds() > 0 && t.wallSeconds() > 0, t.toString());
        }
        assertEquals("refused", r.timings().get(0).outcome());
        assertEquals("13 blocks", r.timings().get(2).outcome());   // (200 - 2) / 15 blocks of 15 nodes
        assertEquals(197, r.timings().get(2).nodes());
        assertFalse(r.table().contains("issue 13"), "the 200,000-node line only where that size ran");
    }

    @Test
    void sizesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Config(List.of(500, 500), 3));
        assertThrows(IllegalArgumentException.class, () -> new Config(List.of(50, 500), 3));
        assertThrows(IllegalArgumentException.class, () -> new Config(List.of(200, 500), 0));
    }

    private static Report report(java.util.function.IntToDoubleFunction seconds, boolean correct) {
        List<Timing> timings = new ArrayList<>();
        for (Graph g : Graph.values()) {
            for (int n : SIZES.nodes()) {
                timings.add(new Timing(g, n, g == Graph.ENCODER ? n / 15 + " blocks" : "refused", correct || n < 200_000,
                        seconds.applyAsDouble(n), 2 * seconds.applyAsDouble(n)));
            }
        }
        return new Report("test CPU", 2, "25", 1.0, SIZES, timings);
    }
}
