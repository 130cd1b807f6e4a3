package dev.rba.onnx.testmodels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixture models listed in fixtures/manifest.json whose files exist, with the facts the tests need (h tensor
 * names, d, tokens). Read with regular expressions over the manifest's fixed layout: the test scope has no JSON library.
 */
public final class FixtureManifest {
    /** tokens is null when the manifest says "dynamic". */
    public record Entry(String name, Path model, Path expected, List<String> hTensors, int d, Long tokens) {
    }

    private static final Pattern MODEL = Pattern.compile("\"file\":\\s*\"models/([^\"]+)\\.onnx\"");

    private FixtureManifest() {
    }

    public static List<Entry> available() throws IOException {
        Path models = FixtureArrays.modelsFolder();
        Path manifest = models.getParent().resolve("manifest.json");
        List<Entry> out = new ArrayList<>();
        if (!Files.isRegularFile(manifest)) return out;
        String json = Files.readString(manifest);
        Matcher m = MODEL.matcher(json);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            names.add(m.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            int from = starts.get(i)[0];
            int to = i + 1 < names.size() ? starts.get(i + 1)[0] : json.length();
            String part = json.substring(from, to);
            Path model = models.resolve(names.get(i) + ".onnx");
            Path expected = models.resolve(names.get(i) + ".expected.npz");
            if (!Files.isRegularFile(model) || !Files.isRegularFile(expected)) continue;
            Matcher h = Pattern.compile("\"h_tensors\":\\s*\\[([^\\]]*)\\]").matcher(part);
            Matcher d = Pattern.compile("\"d\":\\s*(\\d+)").matcher(part);
            Matcher t = Pattern.compile("\"tokens\":\\s*(\"dynamic\"|\\d+)").matcher(part);
            if (!h.find() || !d.find() || !t.find()) continue;
            List<String> hs = Arrays.stream(h.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.substring(1, s.length() - 1)).toList();
            Long tokens = t.group(1).startsWith("\"") ? null : Long.parseLong(t.group(1));
            out.add(new Entry(names.get(i), model, expected, hs, Integer.parseInt(d.group(1)), tokens));
        }
        return out;
    }
}
