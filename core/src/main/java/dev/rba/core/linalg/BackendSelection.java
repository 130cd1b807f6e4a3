package dev.rba.core.linalg;

import java.util.List;

/**
 * The backend that {@link Backends#open} chose, and one line per candidate it considered (chosen, or skipped and
 * why), so the CLI can say which backend runs and why. The caller owns {@link #backend()} and closes it.
 */
public record BackendSelection(Backend backend, String requested, List<Candidate> candidates) {

    /** One candidate: {@code cuda}, {@code openblas} or {@code java}; {@code chosen} or not; the reason in one line. */
    public record Candidate(String name, boolean chosen, String reason) {
        @Override
        public String toString() {
            return name + ": " + (chosen ? "chosen" : "skipped") + " (" + reason + ")";
        }
    }

    public BackendSelection {
        candidates = List.copyOf(candidates);
    }

    /** e.g. {@code backend openblas (requested auto); cuda: skipped (...); openblas: chosen (...)}. */
    public String summary() {
        StringBuilder sb = new StringBuilder("backend ").append(backend.name()).append(" (requested ").append(requested).append(")");
        for (Candidate c : candidates) {
            sb.append("; ").append(c);
        }
        return sb.toString();
    }
}
