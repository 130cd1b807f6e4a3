package dev.rba.core.pipeline;

import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;

import java.util.List;

/**
 * What a {@link CalibrationPass} produced.
 *
 * @param fitStatistics        statistics over all real tokens (what the fits need) with the Block Redundancy sums on
 *                             the summary token; stream k is h_k, named by its graph tensor. When the pass ran without
 *                             all-token Grams ({@link CalibrationOptions#allTokenGrams()}) this is the similarity
 *                             statistics themselves
 * @param similarityStatistics statistics over the similarity token selection; the same object as
 *                             {@code fitStatistics} when that selection is ALL
 * @param boundaryNames        graph tensor names of h_0..h_L
 * @param summaryToken         the token Block Redundancy read, and why it was chosen
 * @param similarityTokens     rows of the similarity statistics
 * @param samples              samples that went through the model
 * @param labels               their labels in pass order, or null when the data has none
 * @param timings              where the time went
 * @param backend              name of the linear-algebra backend that accumulated the statistics
 */
public record CalibrationResult(StreamStatistics fitStatistics, StreamStatistics similarityStatistics,
                                List<String> boundaryNames, SummaryToken.Choice summaryToken,
                                TokenSelection similarityTokens, long samples, int[] labels,
                                CalibrationTimings timings, String backend) {
    public CalibrationResult {
        boundaryNames = List.copyOf(boundaryNames);
    }
}
