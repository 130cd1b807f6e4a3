package dev.rba.onnx.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON text read into plain Java values (objects as ordered {@code Map<String, Object>}, arrays as {@code List},
 * numbers, strings, booleans, null) by Jackson, for the few places that read JSON rba did not write itself or reads
 * back its own records. Malformed text gives an {@link IllegalArgumentException} naming where it broke.
 */
public final class JsonText {
    private static final JsonMapper STRICT = JsonMapper.builder().build();
    /**
     * Class names come from exporters that sometimes store a Python dict's repr ({@code {0: 'person'}}) in
     * metadata_props: single quotes and bare keys are accepted there, nothing else is relaxed.
     */
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    private JsonText() {
    }

    /** Standard JSON. */
    public static Object parse(String text) {
        return read(STRICT, text);
    }

    /** JSON, or a Python dict/list repr with single quotes and bare keys. */
    public static Object parseLenient(String text) {
        return read(LENIENT, text);
    }

    private static Object read(JsonMapper mapper, String text) {
        try {
            return mapper.readValue(text, Object.class);
        } catch (JacksonException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(e.getOriginalMessage() + where, e);
        }
    }
}
