package dev.rba.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader for the JSON that carries class names: Hugging Face's {@code config.json} and {@code id2label}
 * entries in a model's metadata_props. Lenient where exporters are: single-quoted strings and bare keys (a Python
 * dict's {@code repr}, as some exporters write {@code {0: 'person', 1: 'bicycle'}}) are read too. Objects become
 * {@code Map<String,Object>} (keys kept in order), arrays {@code List<Object>}, numbers and bare words their text.
 */
final class LenientJson {
    private final String s;
    private int at;

    private LenientJson(String s) {
        this.s = s;
    }

    /** The value in {@code text}; throws IllegalArgumentException (with the position) when it is not one. */
    static Object parse(String text) {
        LenientJson r = new LenientJson(text);
        Object v = r.value();
        r.space();
        if (r.at != text.length()) throw r.error("unexpected text after the value");
        return v;
    }

    private Object value() {
        space();
        if (at >= s.length()) throw error("unexpected end");
        char c = s.charAt(at);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"' || c == '\'') return string();
        return word();
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        at++;
        space();
        if (peek() == '}') {
            at++;
            return m;
        }
        while (true) {
            space();
            char c = peek();
            String key = c == '"' || c == '\'' ? string() : word();
            space();
            expect(':');
            m.put(key, value());
            space();
            if (peek() == ',') {
                at++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        at++;
        space();
        if (peek() == ']') {
            at++;
            return l;
        }
        while (true) {
            l.add(value());
            space();
            if (peek() == ',') {
                at++;
                continue;
            }
            expect(']');
            return l;
        }
    }

    private String string() {
        char quote = s.charAt(at++);
        StringBuilder sb = new StringBuilder();
        while (at < s.length()) {
            char c = s.charAt(at++);
            if (c == quote) return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= s.length()) break;
            char e = s.charAt(at++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (at + 4 > s.length()) throw error("short \\u escape");
                    sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> sb.append(e);
            }
        }
        throw error("unterminated string");
    }

    /** A number, true/false/null or a bare key, as its text. */
    private String word() {
        int start = at;
        while (at < s.length() && ",:}] \t\r\n".indexOf(s.charAt(at)) < 0) at++;
        if (at == start) throw error("expected a value");
        return s.substring(start, at);
    }

    private char peek() {
        if (at >= s.length()) throw error("unexpected end");
        return s.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        at++;
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + at);
    }
}
