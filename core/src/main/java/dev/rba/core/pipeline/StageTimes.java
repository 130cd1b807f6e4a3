package dev.rba.core.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Wall time of each stage of a command (model read, shape probe, session creation, calibration, fit, rewrite,
 * write, ...), in the order the stages first ran; a stage that runs again adds to its time. Commands print it as one
 * line ({@link #line()}) and in their JSON ({@link #seconds()}), so that where a run's time went is known from
 * outside (tools/scale reads the line). Stages do not overlap: their sum and "other" make the process's wall time.
 * Not thread-safe: one command fills it.
 */
public final class StageTimes {
    /** The line's prefix on standard error: "rba: time: STAGE X.XX s, ..., total X.XX s". */
    public static final String LINE_PREFIX = "rba: time: ";

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Work that may throw. */
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} and adds its wall time to {@code stage}, also when it throws. */
    public <T, E extends Exception> T time(String stage, Work<T, E> work) throws E {
        long t0 = System.nanoTime();
        try {
            return work.run();
        } finally {
            add(stage, System.nanoTime() - t0);
        }
    }

    /** Adds {@code nanos} (0 or more) to {@code stage}. */
    public void add(String stage, long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("negative time " + nanos + " ns for stage " + stage);
        this.nanos.merge(stage, nanos, Long::sum);
    }

    /** Adds seconds (as the calibration pass reports them) to {@code stage}. */
    public void addSeconds(String stage, double seconds) {
        add(stage, Math.round(Math.max(0, seconds) * 1e9));
    }

    /** Adds every stage of {@code other}, with {@code prefix} before its names. */
    public void addAll(String prefix, StageTimes other) {
        for (Map.Entry<String, Long> e : other.nanos.entrySet()) add(prefix + e.getKey(), e.getValue());
    }

    /** Seconds of each stage, in the order they first ran. */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : nanos.entrySet()) out.put(e.getKey(), round(e.getValue() / 1e9));
        return out;
    }

    /**
     * Time from the JVM's start to {@code now} that no stage accounts for: JVM start-up, class loading and what the
     * command did between stages; null where the system does not tell when the process started.
     */
    public static Double sinceProcessStart(Instant now) {
        return ProcessHandle.current().info().startInstant()
                .map(start -> round(Duration.between(start, now).toNanos() / 1e9)).orElse(null);
    }

    /**
     * "rba: time: read 1.20 s, ..., other 0.50 s, total 60.10 s": the stages, then (when the process start is known)
     * what lies outside them since the JVM started, and the process's wall time so far.
     */
    public String line() {
        StringJoiner j = new StringJoiner(", ", LINE_PREFIX, "");
        long sum = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            j.add(String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9));
            sum += e.getValue();
        }
        Double total = sinceProcessStart(Instant.now());
        if (total != null) {
            j.add(String.format(Locale.ROOT, "other %.2f s", Math.max(0, total - sum / 1e9)));
            j.add(String.format(Locale.ROOT, "total %.2f s", total));
        }
        return j.toString();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
