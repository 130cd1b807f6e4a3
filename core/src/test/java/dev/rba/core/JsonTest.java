package dev.rba.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    private static Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", Path.of("m/vit.onnx"));          // not a JSON type: its string
        m.put("d", 192L);
        m.put("br", -0.125);
        m.put("nan", Double.NaN);
        m.put("inf", Float.POSITIVE_INFINITY);
        m.put("ok", true);
        m.put("none", null);
        m.put("empty", Map.of());
        m.put("nothing", List.of());
        m.put("matrix", List.of(new double[] {1, 0.5}, List.of(0.5, 1.0)));
        m.put("names", List.of("a\"b", "tab\there"));
        m.put("blocks", List.of(Map.of("index", 0)));
        return m;
    }

    @Test
    void indentsTwoSpacesAndKeepsNumberListsOnOneLine() {
        assertEquals("""
                {
                  "model": "m/vit.onnx",
                  "d": 192,
                  "br": -0.125,
                  "nan": null,
                  "inf": null,
                  "ok": true,
                  "none": null,
                  "empty": {},
                  "nothing": [],
                  "matrix": [
                    [1.0, 0.5],
                    [0.5, 1.0]
                  ],
                  "names": [
                    "a\\"b",
                    "tab\\there"
                  ],
                  "blocks": [
                    {
                      "index": 0
                    }
                  ]
                }""", Json.write(report()));
    }

    @Test
    void compactIsOneLineAndReadsBackAsWritten() throws Exception {
        String text = Json.compact(report());
        assertEquals("{\"model\":\"m/vit.onnx\",\"d\":192,\"br\":-0.125,\"nan\":null,\"inf\":null,\"ok\":true,\"none\":null,"
                + "\"empty\":{},\"nothing\":[],\"matrix\":[[1.0,0.5],[0.5,1.0]],\"names\":[\"a\\\"b\",\"tab\\there\"],"
                + "\"blocks\":[{\"index\":0}]}", text);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(text);
        assertEquals(a, mapper.readTree(Json.write(report())));
        assertEquals(0.5, a.get("matrix").get(1).get(0).doubleValue());
        assertEquals("tab\there", a.get("names").get(1).textValue());
    }

    @Test
    void aRecordIsAnObjectOfItsComponentsInSnakeCase() {
        var latency = new dev.rba.core.eval.LatencyStats(8, 2, 5, 1.5, 2.25, 1.0, Double.NaN);
        assertEquals("{\"batch_size\":8,\"warmup\":2,\"repeats\":5,\"median_ms\":1.5,\"p90_ms\":2.25,\"min_ms\":1.0,"
                + "\"mean_ms\":null}", Json.compact(latency));
    }
}
