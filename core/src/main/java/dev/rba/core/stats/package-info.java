/**
 * Streamed statistics of captured activations, and the metrics computed from them.
 *
 * <p>Use: build a {@link dev.rba.core.stats.StatisticsPlan} (streams h_k with their widths, token selection, summary
 * token for Block Redundancy, pairs, layout); feed batches to a {@link dev.rba.core.stats.StatisticsAccumulator};
 * take a {@link dev.rba.core.stats.StreamStatistics} snapshot, merge snapshots from several workers, save and load
 * them; compute {@link dev.rba.core.stats.Metrics} and fits ({@code dev.rba.core.fit}) from them. Only O(d^2) per pair
 * is kept, so any number of calibration samples fits in memory.
 */
package dev.rba.core.stats;
