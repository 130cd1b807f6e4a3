package dev.rba.core.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default batch size keeps one batch's captured tensors within the budget, for any model size. */
class BatchSizingTest {

    @Test
    void batchFollowsTheCapturedBytes() {
        // ViT-B --replace: 2 x 197 x 768 x 4 B = 1.2 MB per sample, the cap of 32 holds
        assertEquals(32, BatchSizing.forCapture(2, 197, 768));
        // ViT-L analyze: 25 x 197 x 1024 x 4 B = 20.2 MB per sample -> floor(256 MiB / 20.2 MB) = 13
        assertEquals(13, BatchSizing.forCapture(25, 197, 1024));
        // ViT-H/14 analyze: 33 x 257 x 1280 x 4 B = 43.4 MB per sample -> 6
        assertEquals(6, BatchSizing.forCapture(33, 257, 1280));
        // one sample larger than the budget still runs, one at a time
        assertEquals(1, BatchSizing.forCapture(100, 4096, 4096));
        // a token count known only at run time keeps the old default
        assertEquals(BatchSizing.MAX_BATCH, BatchSizing.forCapture(13, -1, 768));
    }

    @Test
    void theChosenBatchNeverPassesTheBudgetUnlessOneSampleDoes() {
        for (int streams : new int[] {1, 2, 13, 25, 33, 49}) {
            for (long tokens : new long[] {17, 50, 197, 257, 577}) {
                for (long d : new long[] {64, 384, 768, 1024, 1280, 1664}) {
                    int b = BatchSizing.forCapture(streams, tokens, d);
                    long bytes = BatchSizing.captureBytes(b, streams, tokens, d);
                    assertTrue(b == 1 || bytes <= BatchSizing.CAPTURE_BUDGET, streams + "x" + tokens + "x" + d);
                    assertTrue(b == BatchSizing.MAX_BATCH
                            || BatchSizing.captureBytes(b + 1, streams, tokens, d) > BatchSizing.CAPTURE_BUDGET,
                            "the largest batch within the budget: " + streams + "x" + tokens + "x" + d);
                }
            }
        }
    }
}
