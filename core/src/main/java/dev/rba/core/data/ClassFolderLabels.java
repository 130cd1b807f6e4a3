package dev.rba.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which class index each class folder holds. A folder is matched to the model's class names (exactly, then ignoring
 * case, then ignoring case and every character that is not a letter or digit, so {@code ankle_boot} is "Ankle boot"
 * and {@code tshirt_top} is "T-shirt/top"; a loose form shared by two names matches neither); failing that, folders
 * named by numbers are those class indices. Never by sort order: sorted folder names are the model's order only by
 * luck. When some folder matches nothing there are no labels, and {@link #note()} says why and how to give them.
 *
 * @param labels label of each folder (in the order given), or null when the folders cannot be labelled
 * @param names  class name of each label index (the model's, or the folder numbers)
 * @param note   why there are no labels and what to do; null when labelled
 * @param how    how labels were found, for the data description (e.g. "folders matched to the model's rba.labels")
 */
record ClassFolderLabels(int[] labels, List<String> names, String note, String how) {

    static ClassFolderLabels match(String root, List<String> folders, ClassNames classes) {
        if (classes != null) {
            int[] byName = byName(folders, classes.names());
            if (byName != null) return new ClassFolderLabels(byName, classes.names(), null, "folders matched to " + classes.source());
        }
        int[] byNumber = byNumber(folders, classes);
        if (byNumber != null) {
            List<String> names = classes != null ? classes.names() : numbers(byNumber);
            return new ClassFolderLabels(byNumber, names, null, "folder names are class indices");
        }
        List<String> unmatched = classes == null ? folders : unmatched(folders, classes.names());
        String shown = String.join(", ", unmatched.subList(0, Math.min(3, unmatched.size())))
                + (unmatched.size() > 3 ? ", ..." : "");
        String why = classes == null ? "the model records no class names"
                : "class folder(s) " + shown + " match no class name in " + classes.source();
        return new ClassFolderLabels(null, List.of(), root + ": " + why + ", so no accuracy is computed: give "
                + "--class-names FILE (one name per line, in the model's output order) or name the folders 0, 1, ... "
                + "by class index", null);
    }

    /** Folder i's class index from the names, or null unless every folder matches a different class. */
    private static int[] byName(List<String> folders, List<String> names) {
        List<Map<String, Integer>> levels = levels(names);
        int[] labels = new int[folders.size()];
        boolean[] taken = new boolean[names.size()];
        for (int f = 0; f < folders.size(); f++) {
            Integer k = find(folders.get(f), levels);
            if (k == null || taken[k]) return null;
            taken[k] = true;
            labels[f] = k;
        }
        return labels;
    }

    private static List<String> unmatched(List<String> folders, List<String> names) {
        List<Map<String, Integer>> levels = levels(names);
        List<String> out = new ArrayList<>();
        for (String f : folders) if (find(f, levels) == null) out.add(f);
        return out.isEmpty() ? folders : out; // all match but two folders share a class
    }

    /** Exact, case-free and loose forms of the names, tried in that order. */
    private static List<Map<String, Integer>> levels(List<String> names) {
        return List.of(index(names, s -> s), index(names, s -> s.toLowerCase(Locale.ROOT)),
                index(names, ClassFolderLabels::loose));
    }

    private static Integer find(String folder, List<Map<String, Integer>> levels) {
        Integer k = levels.get(0).get(folder);
        if (k == null) k = levels.get(1).get(folder.toLowerCase(Locale.ROOT));
        if (k == null) k = levels.get(2).get(loose(folder));
        return k == null || k < 0 ? null : k;
    }

    /** Name form to index; a form shared by two names maps to -1 (ambiguous, matches nothing). */
    private static Map<String, Integer> index(List<String> names, java.util.function.UnaryOperator<String> form) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String key = form.apply(names.get(i));
            if (key.isEmpty()) continue;
            m.merge(key, i, (a, b) -> -1);
        }
        return m;
    }

    private static String loose(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** Folder names that are all non-negative integers (below the class count when it is known), or null. */
    private static int[] byNumber(List<String> folders, ClassNames classes) {
        int[] labels = new int[folders.size()];
        for (int f = 0; f < folders.size(); f++) {
            String n = folders.get(f);
            if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
            labels[f] = Integer.parseInt(n);
            if (classes != null && labels[f] >= classes.size()) return null;
        }
        return labels;
    }

    /** Names by index for numeric folders: the index itself. */
    private static List<String> numbers(int[] labels) {
        int max = 0;
        for (int l : labels) max = Math.max(max, l);
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= max; i++) names.add(Integer.toString(i));
        return names;
    }
}
