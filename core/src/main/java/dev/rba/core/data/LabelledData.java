package dev.rba.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The labels part every loader shares: one class index per sample (or none at all) and the classes' names. */
abstract class LabelledData implements CalibrationData {
    private final int[] labels; // null: unlabelled
    private final List<String> classNames;

    LabelledData(int[] labels, List<String> classNames) {
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /** Names "0".."the largest label" for data that gives class numbers only; none without labels. */
    static List<String> numberedClasses(int[] labels) {
        List<String> names = new ArrayList<>();
        if (labels != null) {
            int max = Arrays.stream(labels).max().orElse(-1);
            for (int c = 0; c <= max; c++) names.add(Integer.toString(c));
        }
        return names;
    }

    @Override
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** The labels of the given samples, in their order; null when the data has none. */
    int[] labels(int[] samples) {
        if (labels == null) return null;
        int[] l = new int[samples.length];
        for (int k = 0; k < samples.length; k++) l[k] = labels[samples[k]];
        return l;
    }
}
