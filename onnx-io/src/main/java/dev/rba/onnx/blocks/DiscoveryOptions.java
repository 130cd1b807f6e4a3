package dev.rba.onnx.blocks;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of {@link BlockDiscovery}.
 *
 * @param boundaries          explicit residual-stream tensor names h_0..h_L (empty: find them from the structure)
 * @param modelFolder         folder of the model file, so the shape probe finds external data (null: none)
 * @param probeSequenceLength length given to symbolic non-batch input dimensions in the shape probe
 * @param allowProbe          whether ONNX Runtime may be run once to learn shapes the file does not declare
 */
public record DiscoveryOptions(List<String> boundaries, Path modelFolder, int probeSequenceLength, boolean allowProbe) {
    public static final int DEFAULT_PROBE_SEQUENCE_LENGTH = 16;

    public DiscoveryOptions {
        boundaries = boundaries == null ? List.of() : List.copyOf(boundaries);
        if (probeSequenceLength < 1) {
            throw new IllegalArgumentException("probe sequence length must be at least 1, got " + probeSequenceLength);
        }
    }

    public static DiscoveryOptions defaults() {
        return new DiscoveryOptions(List.of(), null, DEFAULT_PROBE_SEQUENCE_LENGTH, true);
    }

    public DiscoveryOptions withBoundaries(List<String> names) {
        return new DiscoveryOptions(names, modelFolder, probeSequenceLength, allowProbe);
    }

    public DiscoveryOptions withModelFolder(Path folder) {
        return new DiscoveryOptions(boundaries, folder, probeSequenceLength, allowProbe);
    }

    public DiscoveryOptions withProbeSequenceLength(int length) {
        return new DiscoveryOptions(boundaries, modelFolder, length, allowProbe);
    }

    public DiscoveryOptions withProbe(boolean allowed) {
        return new DiscoveryOptions(boundaries, modelFolder, probeSequenceLength, allowed);
    }
}
