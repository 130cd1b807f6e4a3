package dev.rba.core.data;

import dev.rba.onnx.io.JsonText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's class names in output order (name i is logit i), and where they came from. Class folders of images are
 * matched to these names; without them only numeric folder names give labels, since sorted folder names need not be
 * in the model's order.
 *
 * @param names  name of each class index
 * @param source where the names were read, for messages (e.g. "the model's rba.labels")
 */
public record ClassNames(List<String> names, String source) {
    /** metadata_props keys that hold class names, in the order they are tried. */
    static final List<String> METADATA_KEYS = List.of("rba.labels", "id2label", "rba.id2label", "labels",
            "class_names", "classes", "names");

    public ClassNames {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException(source + " lists no class names");
    }

    /**
     * Names recorded with the model: its metadata_props ({@link #METADATA_KEYS}: a JSON object {"0": "cat", ...}, a
     * JSON array, or rba's comma-separated list), else {@code config.json} with {@code id2label} in the model's folder
     * (as Hugging Face exports have); null when neither has them.
     */
    public static ClassNames ofModel(Map<String, String> metadata, Path modelFolder) {
        ClassNames fromMeta = fromMetadata(metadata);
        if (fromMeta != null || modelFolder == null) return fromMeta;
        Path config = modelFolder.resolve("config.json");
        if (!Files.isRegularFile(config)) return null;
        try {
            Object root = JsonText.parseLenient(Files.readString(config, StandardCharsets.UTF_8));
            if (root instanceof Map<?, ?> m && m.get("id2label") != null) {
                return new ClassNames(list(m.get("id2label"), config + " id2label"), config + " (id2label)");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(config + " beside the model is not readable JSON with id2label ("
                    + e.getMessage() + "): fix it, or give --class-names FILE");
        }
        return null;
    }

    /** Names in the model's metadata_props, or null. */
    public static ClassNames fromMetadata(Map<String, String> metadata) {
        for (String key : METADATA_KEYS) {
            String v = metadata.get(key);
            if (v == null || v.isBlank()) continue;
            String where = "the model's metadata_props entry " + key;
            String t = v.strip();
            if (t.startsWith("{") || t.startsWith("[")) {
                try {
                    return new ClassNames(list(JsonText.parseLenient(t), where), where);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(where + " is not a readable list of class names (" + e.getMessage()
                            + "): give --class-names FILE");
                }
            }
            List<String> names = new ArrayList<>();
            for (String n : t.split(",", -1)) names.add(n.strip());
            return checked(new ClassNames(names, where));
        }
        return null;
    }

    /** One name per line, in the model's output order; blank lines at the end are ignored. */
    public static ClassNames fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("class names file " + file + " does not exist: give a text file with one "
                    + "class name per line, in the model's output order");
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.getLast().isBlank()) lines.removeLast();
        List<String> names = lines.stream().map(String::strip).toList();
        if (names.isEmpty()) throw new InvalidInputException("class names file " + file + " is empty: give one class name per line");
        return checked(new ClassNames(names, "class names file " + file));
    }

    public int size() {
        return names.size();
    }

    /** An id2label object (keys 0..k-1 in any order) or an array of names. */
    private static List<String> list(Object parsed, String where) {
        if (parsed instanceof List<?> l) return checked(new ClassNames(l.stream().map(String::valueOf).toList(), where)).names();
        if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException("neither an object nor an array");
        String[] names = new String[m.size()];
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int i;
            try {
                i = Integer.parseInt(String.valueOf(e.getKey()).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("key '" + e.getKey() + "' is not a class index");
            }
            if (i < 0 || i >= names.length || names[i] != null) {
                throw new IllegalArgumentException("class indices are not 0.." + (names.length - 1));
            }
            names[i] = String.valueOf(e.getValue());
        }
        return checked(new ClassNames(List.of(names), where)).names();
    }

    private static ClassNames checked(ClassNames c) {
        Set<String> seen = new HashSet<>();
        for (String n : c.names) {
            if (n.isEmpty()) throw new InvalidInputException(c.source + " has an empty class name: give one name per class");
            if (!seen.add(n)) throw new InvalidInputException(c.source + " names class '" + n + "' twice: give each class once");
        }
        return c;
    }
}
