package dev.rba.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON writer for rba's reports and metadata records: maps, collections, primitive arrays, strings, numbers
 * (NaN and infinities as null), booleans and null; anything else as its string. rba's JSON is small, and a writer this
 * size spares a dependency. {@link #write} indents for people; {@link #compact} is one line, for metadata_props.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private final boolean pretty;

    private Json(boolean pretty) {
        this.pretty = pretty;
    }

    /** Indented JSON, two spaces a level; lists of numbers stay on one line. */
    public static String write(Object value) {
        Json j = new Json(true);
        j.value(value, 0);
        return j.sb.toString();
    }

    /** JSON on one line with no spaces. */
    public static String compact(Object value) {
        Json j = new Json(false);
        j.value(value, 0);
        return j.sb.toString();
    }

    private void value(Object v, int indent) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(s);
            case Boolean b -> sb.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
            // Double.toString is the shortest text that reads back to the same double, and valid JSON
            case Number n -> sb.append(n);
            case Map<?, ?> m -> object(m, indent);
            case Collection<?> c -> array(c, indent);
            case double[] a -> array(Arrays.stream(a).boxed().toList(), indent);
            case long[] a -> array(Arrays.stream(a).boxed().toList(), indent);
            case int[] a -> array(Arrays.stream(a).boxed().toList(), indent);
            default -> quote(v.toString());
        }
    }

    private void object(Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (i++ > 0) sb.append(',');
            newline(indent + 1);
            quote(String.valueOf(e.getKey()));
            sb.append(pretty ? ": " : ":");
            value(e.getValue(), indent + 1);
        }
        newline(indent);
        sb.append('}');
    }

    private void array(Collection<?> c, int indent) {
        if (c.isEmpty()) {
            sb.append("[]");
            return;
        }
        boolean flat = c.stream().allMatch(x -> x == null || x instanceof Number || x instanceof Boolean);
        sb.append('[');
        int i = 0;
        for (Object x : c) {
            if (i++ > 0) sb.append(pretty && flat ? ", " : ",");
            if (!flat) newline(indent + 1);
            value(x, indent + 1);
        }
        if (!flat) newline(indent);
        sb.append(']');
    }

    private void newline(int indent) {
        if (pretty) sb.append('\n').append("  ".repeat(indent));
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
