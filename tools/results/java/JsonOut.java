import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes nested maps, lists, strings, numbers and booleans as JSON: the results tools' only output format. */
final class JsonOut {
    private JsonOut() {
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, "");
        return sb.append('\n').toString();
    }

    private static void append(StringBuilder sb, Object v, String indent) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Double d -> sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.10g", d) : "null");
            case Float f -> append(sb, (double) f, indent);
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> {
                sb.append("{");
                String in = indent + "  ";
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    sb.append('\n').append(in);
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    append(sb, e.getValue(), in);
                    if (it.hasNext()) sb.append(',');
                }
                sb.append(m.isEmpty() ? "}" : "\n" + indent + "}");
            }
            case List<?> l -> {
                boolean flat = l.stream().allMatch(x -> x == null || x instanceof Number || x instanceof String);
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (!flat) sb.append('\n').append(indent).append("  ");
                    append(sb, l.get(i), indent + "  ");
                    if (i + 1 < l.size()) sb.append(flat ? ", " : ",");
                }
                sb.append(!flat && !l.isEmpty() ? "\n" + indent + "]" : "]");
            }
            case int[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
                sb.append(']');
            }
            default -> quote(sb, v.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
