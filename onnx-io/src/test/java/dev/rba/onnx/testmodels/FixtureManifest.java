package dev.rba.onnx.testmodels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture models listed in fixtures/manifest.json whose files exist, with the facts the tests need (h tensor
 * names, d, tokens).
 */
public final class FixtureManifest {
    /** tokens is null when the manifest says "dynamic". */
    public record Entry(String name, Path model, Path expected, List<String> hTensors, int d, Long tokens) {
    }

    private FixtureManifest() {
    }

    public static List<Entry> available() throws IOException {
        Path models = FixtureArrays.modelsFolder();
        Path manifest = models.getParent().resolve("manifest.json");
        List<Entry> out = new ArrayList<>();
        if (!Files.isRegularFile(manifest)) return out;
        for (JsonNode m : new ObjectMapper().readTree(manifest.toFile()).path("models")) {
            String name = m.path("name").asText();
            Path model = models.resolve(name + ".onnx");
            Path expected = models.resolve(name + ".expected.npz");
            if (!Files.isRegularFile(model) || !Files.isRegularFile(expected)) continue;
            if (!m.path("h_tensors").isArray() || !m.path("d").isInt() || m.path("tokens").isMissingNode()) continue;
            List<String> hs = new ArrayList<>();
            for (JsonNode h : m.path("h_tensors")) hs.add(h.asText());
            Long tokens = m.path("tokens").isNumber() ? m.path("tokens").asLong() : null;
            out.add(new Entry(name, model, expected, List.copyOf(hs), m.path("d").asInt(), tokens));
        }
        return out;
    }

    /** The fixture {@code name}; the calling test is skipped while that fixture is not exported. */
    public static Entry named(String name) throws IOException {
        var found = available().stream().filter(e -> e.name().equals(name)).findFirst();
        Assumptions.assumeTrue(found.isPresent(), name + " fixture not exported yet");
        return found.get();
    }
}
