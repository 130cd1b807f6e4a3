package dev.rba.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of a .npy file, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (200, 1, 28, 28), }}:
 * parsing (a small reader for the Python literal subset NumPy writes) and formatting.
 */
record NpyHeader(ElementType type, boolean bigEndian, long[] shape) {

    /**
     * Parses a header dict. source names the file in messages.
     *
     * @throws InvalidInputException for Fortran order, structured or unsupported dtypes, or a malformed dict
     */
    static NpyHeader parse(String text, String source) {
        Map<String, Object> dict;
        try {
            dict = new LiteralReader(text).readDict();
        } catch (IllegalStateException e) {
            throw new InvalidInputException(source + ": malformed .npy header (" + e.getMessage() + "): "
                    + "write the file with numpy.save");
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shape instanceof List<?> dims)) {
            throw new InvalidInputException(source + ": .npy header lacks descr, fortran_order or shape "
                    + "(or holds a structured dtype): save a plain numeric array with numpy.save");
        }
        if (f) {
            throw new InvalidInputException(source + ": array is stored in Fortran order: save "
                    + "numpy.ascontiguousarray(a) instead");
        }
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new InvalidInputException(source + ": .npy header has a bad shape " + dims
                        + ": write the file with numpy.save");
            }
            s[i] = dim;
        }
        return parseDescr(d, source, s);
    }

    private static NpyHeader parseDescr(String d, String source, long[] shape) {
        ElementType t = null;
        boolean big = false;
        if (d.length() >= 3) {
            char order = d.charAt(0);
            big = order == '>';
            boolean orderOk = order == '<' || order == '>' || order == '|' || order == '=';
            int size = parseSize(d.substring(2));
            if (orderOk && size > 0) t = ElementType.fromNumpy(d.charAt(1), size);
            if (t != null && t.byteSize() == 1) big = false;
        }
        if (t == null) {
            throw new InvalidInputException(source + ": dtype '" + d + "' is not supported: use float32, float16, "
                    + "float64, int8/16/32/64, uint8/16/32/64 or bool");
        }
        return new NpyHeader(t, big, shape);
    }

    private static int parseSize(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The dict text NumPy writes for a little-endian C-order array (without padding or newline). */
    String format() {
        StringBuilder sb = new StringBuilder("{'descr': '").append(type.numpyDescr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(','); // Python's one-element tuple
        return sb.append("), }").toString();
    }

    @Override
    public String toString() {
        return type.typeName() + Arrays.toString(shape) + (bigEndian ? " big-endian" : "");
    }

    /** Reads the literal subset used in .npy headers: dicts, 'strings', True/False, ints and tuples of ints. */
    private static final class LiteralReader {
        private final String s;
        private int pos;

        LiteralReader(String s) {
            this.s = s;
        }

        Map<String, Object> readDict() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return m;
                }
                Object key = readValue();
                if (!(key instanceof String k)) throw new IllegalStateException("dict key is not a string at " + pos);
                expect(':');
                m.put(k, readValue());
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != '}') throw new IllegalStateException("expected ',' or '}' at " + pos);
            }
        }

        private Object readValue() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') return readString(c);
            if (c == '(' || c == '[') return readTuple(c == '(' ? ')' : ']');
            if (c == '{') return readDict();
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (Character.isDigit(c) || c == '-') return readInt();
            throw new IllegalStateException("unexpected '" + c + "' at " + pos);
        }

        private String readString(char quote) {
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) throw new IllegalStateException("unterminated string at " + pos);
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }

        private List<Object> readTuple(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return items;
                }
                items.add(readValue());
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != close) throw new IllegalStateException("expected ',' or '" + close + "' at " + pos);
            }
        }

        private Long readInt() {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos < s.length() && s.charAt(pos) == 'L') pos++; // Python 2 longs in old files
            try {
                return Long.parseLong(s.substring(start, pos).replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("bad integer at " + start);
            }
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) throw new IllegalStateException("expected '" + c + "' at " + pos);
            pos++;
        }

        private char peek() {
            if (pos >= s.length()) throw new IllegalStateException("header ends early");
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }
    }
}
