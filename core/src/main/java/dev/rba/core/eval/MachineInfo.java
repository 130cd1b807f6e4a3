package dev.rba.core.eval;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a latency figure was measured on: latencies mean little without it.
 *
 * @param cpu          CPU model name (from /proc/cpuinfo on Linux, else the architecture)
 * @param logicalCores processors the JVM sees
 * @param ortThreads   ONNX Runtime intra-op threads asked for (0: ORT's default, one per core)
 * @param provider     ONNX Runtime execution provider: "cpu" or "cuda"
 * @param os           operating system and architecture
 * @param ortVersion   ONNX Runtime version
 * @param loadAverage  the system load average over the last minute when the report was made (-1 when unknown): a
 *                     load above the core count means other work competed with the timed runs
 */
public record MachineInfo(String cpu, int logicalCores, int ortThreads, String provider, String os, String ortVersion,
                          double loadAverage) {

    /** ONNX Runtime's intra-op threads as they run: the number asked for, or the core count ORT defaults to. */
    public int effectiveOrtThreads() {
        return ortThreads > 0 ? ortThreads : logicalCores;
    }

    static MachineInfo current(int ortThreads, boolean cuda, String ortVersion) {
        return new MachineInfo(cpuName(), Runtime.getRuntime().availableProcessors(), ortThreads, cuda ? "cuda" : "cpu",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), ortVersion,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuName() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                List<String> lines = Files.readAllLines(info);
                for (String line : lines) {
                    if (line.startsWith("model name")) {
                        int colon = line.indexOf(':');
                        if (colon > 0) return line.substring(colon + 1).strip();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not fatal: the architecture below still says something
            }
        }
        return System.getProperty("os.arch") + " CPU";
    }
}
