package dev.rba.core.stats;

/**
 * What statistics were computed from: SHA-256 (hex) of the model (its file and external data) and of the data (the
 * input tensors of the samples used, with their indices, and the padding mask). Empty strings when unknown.
 */
public record StatisticsFingerprint(String model, String data) {
    public static final StatisticsFingerprint NONE = new StatisticsFingerprint("", "");

    public StatisticsFingerprint {
        model = model == null ? "" : model;
        data = data == null ? "" : data;
    }

    public boolean known() {
        return !model.isEmpty() && !data.isEmpty();
    }

    /** The first 12 hex digits, for messages. */
    static String shortForm(String hex) {
        return hex.isEmpty() ? "none" : hex.substring(0, Math.min(12, hex.length()));
    }

    /**
     * Null when {@code current} matches; else one line saying what differs and what to do, naming {@code file}.
     */
    public String mismatch(StatisticsFingerprint current, String file) {
        if (!known()) {
            return "statistics file " + file + " records no fingerprint of the model and data it was computed from, so "
                    + "it cannot be checked against this run: give a new --stats file name to recompute";
        }
        if (!model.equals(current.model)) {
            return "statistics file " + file + " was computed on another model (fingerprint " + shortForm(model)
                    + ", this model " + shortForm(current.model) + ": its weights or graph differ, e.g. retrained with "
                    + "the same names): give a new --stats file name to recompute";
        }
        if (!data.equals(current.data)) {
            return "statistics file " + file + " was computed on other data or samples (fingerprint " + shortForm(data)
                    + ", this run " + shortForm(current.data) + "): use the same --data, --samples, --seed and padding "
                    + "mask as when it was written, or give a new --stats file name to recompute";
        }
        return null;
    }
}
