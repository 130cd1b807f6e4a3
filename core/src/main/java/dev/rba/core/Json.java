package dev.rba.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * rba's reports and metadata records as JSON, written by Jackson's generator: maps (in their order), collections,
 * primitive arrays, strings, numbers (NaN and infinities as null), booleans and null; records as objects of their
 * components in declaration order, each named in snake_case ({@code medianMs} as {@code median_ms}), so a record whose
 * components are a report's fields needs no map copied from it by hand; anything else as its string.
 * {@link #write} indents for people (two spaces a level, lists of numbers on one line); {@link #compact} is one line,
 * for metadata_props. Reading is Jackson's too ({@code JsonText} in onnx-io, {@code ObjectMapper} in tests).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator out;
    private final Layout layout;

    private Json(JsonGenerator out, Layout layout) {
        this.out = out;
        this.layout = layout;
    }

    /** Indented JSON, two spaces a level; lists of numbers stay on one line. */
    public static String write(Object value) {
        return generate(value, new Layout());
    }

    /** JSON on one line with no spaces. */
    public static String compact(Object value) {
        return generate(value, null);
    }

    private static String generate(Object value, Layout layout) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            if (layout != null) g.setPrettyPrinter(layout);
            new Json(g, layout).value(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return text.toString();
    }

    private void value(Object v) throws IOException {
        switch (v) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case Boolean b -> out.writeBoolean(b);
            case Double d when d.isNaN() || d.isInfinite() -> out.writeNull();
            case Float f when f.isNaN() || f.isInfinite() -> out.writeNull();
            case Double d -> out.writeNumber(d);
            case Float f -> out.writeNumber(f);
            case Long l -> out.writeNumber(l);
            case Integer i -> out.writeNumber(i);
            case Number n -> out.writeNumber(n.toString());
            case Map<?, ?> m -> object(m);
            case Record r -> object(r);
            case Collection<?> c -> array(c);
            case double[] a -> array(Arrays.stream(a).boxed().toList());
            case long[] a -> array(Arrays.stream(a).boxed().toList());
            case int[] a -> array(Arrays.stream(a).boxed().toList());
            default -> out.writeString(v.toString());
        }
    }

    private void object(Map<?, ?> m) throws IOException {
        out.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.writeFieldName(String.valueOf(e.getKey()));
            value(e.getValue());
        }
        out.writeEndObject();
    }

    private void object(Record r) throws IOException {
        out.writeStartObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            out.writeFieldName(snakeCase(c.getName()));
            try {
                value(c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
            }
        }
        out.writeEndObject();
    }

    private static String snakeCase(String camel) {
        StringBuilder s = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) s.append('_').append(Character.toLowerCase(ch));
            else s.append(ch);
        }
        return s.toString();
    }

    private void array(Collection<?> c) throws IOException {
        if (layout != null) layout.nextArrayFlat = c.stream().allMatch(x -> x == null || x instanceof Number || x instanceof Boolean);
        out.writeStartArray();
        for (Object x : c) value(x);
        out.writeEndArray();
    }

    /**
     * rba's indentation: Jackson's default printer either puts every array element on its own line or none, but a
     * similarity matrix reads best as one line per row. The writer says, before each array, whether it is flat.
     */
    private static final class Layout implements PrettyPrinter {
        private final Deque<Boolean> flat = new ArrayDeque<>();
        private boolean nextArrayFlat;
        private int depth;

        private void newline(JsonGenerator g, int indent) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("  ".repeat(indent));
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g, depth);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g, depth);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) newline(g, depth);
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            flat.push(nextArrayFlat);
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!flat.element()) newline(g, depth);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            if (flat.element()) {
                g.writeRaw(", ");
            } else {
                g.writeRaw(',');
                newline(g, depth);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (!flat.pop() && values > 0) newline(g, depth);
            g.writeRaw(']');
        }
    }
}
