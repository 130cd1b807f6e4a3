package dev.rba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** doctor --json: the keys a script reads, which the report records' component names give. */
class DoctorCommandTest {

    @Test
    void jsonHasEveryKeyInOrder() throws Exception {
        CliRunner r = CliRunner.run("doctor", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("java", "cpu", "libraries", "gpu_problem", "gpus", "backends", "auto_choice", "auto_reason"),
                names(doc));
        assertEquals(List.of("name", "available", "path", "found_by", "version", "problem"), names(doc.get("libraries").get(0)));
        JsonNode openblas = doc.get("libraries").get(3);
        assertEquals("openblas", openblas.get("name").asText());
        assertTrue(openblas.get("available").asBoolean() && !openblas.get("found_by").isNull(), openblas.toString());
        assertEquals(List.of("cuda", "openblas", "java"), doc.get("backends").findValuesAsText("name"));
        assertEquals(List.of("name", "available", "detail", "gpu_name", "gpu_memory_bytes"), names(doc.get("backends").get(0)));
        for (JsonNode g : doc.get("gpus")) {
            assertEquals(List.of("ordinal", "name", "compute_capability", "multiprocessors", "memory_bytes", "free_bytes"), names(g));
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
