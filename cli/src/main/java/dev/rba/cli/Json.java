package dev.rba.cli;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for reports: maps, lists, strings, numbers, booleans and null. rba's reports are small, and
 * a writer this size spares a dependency.
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                if (m.isEmpty()) { sb.append("{}"); return; }
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    pad(sb, indent + 1);
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), indent + 1);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                pad(sb, indent);
                sb.append('}');
            }
            case Collection<?> c -> {
                if (c.isEmpty()) { sb.append("[]"); return; }
                boolean flat = c.stream().allMatch(x -> x == null || x instanceof Number || x instanceof Boolean);
                sb.append(flat ? "[" : "[\n");
                int i = 0;
                for (Object x : c) {
                    if (!flat) pad(sb, indent + 1);
                    write(sb, x, indent + 1);
                    if (++i < c.size()) sb.append(flat ? ", " : ",\n");
                }
                if (!flat) { sb.append('\n'); pad(sb, indent); }
                sb.append(']');
            }
            case double[] a -> write(sb, java.util.Arrays.stream(a).boxed().toList(), indent);
            case long[] a -> write(sb, java.util.Arrays.stream(a).boxed().toList(), indent);
            case int[] a -> write(sb, java.util.Arrays.stream(a).boxed().toList(), indent);
            default -> quote(sb, v.toString());
        }
    }

    private static void pad(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    private static void quote(StringBuilder sb, String s) {
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
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
