package dev.rba.core.stats;

import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rba.core.linalg.Backend;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Random;

/**
 * The accumulator sizes its concatenation scratch by the first batch and replaces it when a longer batch comes: a
 * small first batch followed by longer ones (on worker threads, which write into the scratch) must give the same
 * statistics as the raw rows.
 */
@ExtendWith(ClassBackends.class)
class ScratchGrowthTest {


    @ClassBackends.EachBackend
    void batchesLongerThanTheFirstGrowTheScratchAndKeepTheStatisticsExact(Backend backend) {
        Random rnd = new Random(7);
        List<StreamStatisticsTest.Batch> batches = List.of(StreamStatisticsTest.Batch.random(rnd, 1, false),
                StreamStatisticsTest.Batch.random(rnd, 6, false), StreamStatisticsTest.Batch.random(rnd, 2, true),
                StreamStatisticsTest.Batch.random(rnd, 9, false));
        for (boolean joint : new boolean[] {true, false}) {
            StatisticsPlan plan = StreamStatisticsTest.plan(TokenSelection.ALL, joint);
            StreamStatistics stats = StreamStatisticsTest.accumulate(backend, plan, batches, 2, Arena.ofShared());
            ReferenceRows[] ref = StreamStatisticsTest.reference(plan, batches);
            assertEquals(ref[0].selected.size(), stats.rows());
            for (StreamPair p : plan.pairs()) {
                String what = "joint=" + joint + " h" + p.a() + ",h" + p.b();
                StreamStatisticsTest.assertClose(ReferenceRows.crossGram(ref[p.a()].selected, ref[p.b()].selected),
                        stats.crossGram(p.a(), p.b()), 1e-6, "cross-Gram " + what);
                StreamStatisticsTest.assertClose(ReferenceRows.crossGram(ref[p.a()].selected, ref[p.a()].selected),
                        stats.gram(p.a()), 1e-6, "Gram " + what);
            }
        }
    }
}
