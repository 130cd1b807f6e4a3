package dev.rba.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every output option of every command, pointed at an input or at something that is not a regular file: exit 2,
 * one line, before any work, and afterwards every file in the folder is byte for byte what it was (nothing replaced,
 * nothing added). The fixtures are copied first, so a regression here cannot damage them.
 */
class OutputSafetyTest {
    private static final Path MODEL = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx");
    private static final Path IDX = CliRunner.FIXTURES.resolve("data/fashion-mnist");

    @TempDir
    Path dir;
    Path model;
    Path data;
    Path images;
    Path labels;

    @BeforeEach
    void copyFixtures() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(MODEL), "vit_fmnist_b8.onnx fixture not exported yet");
        model = Files.copy(MODEL, dir.resolve("model.onnx"));
        data = Files.createDirectory(dir.resolve("data"));
        images = Files.copy(IDX.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-images-idx3-ubyte.gz"));
        labels = Files.copy(IDX.resolve("t10k-labels-idx1-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    /** Path (relative to the temporary folder) → SHA-256 of every file and the kind of everything else. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String kind = Files.isSymbolicLink(p) ? "link to " + Files.readSymbolicLink(p)
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        : Files.isDirectory(p) ? "folder" : "special";
                all.put(dir.relativize(p).toString(), kind);
            }
        }
        return all;
    }

    private void assertRefusedAndUnchanged(String what, String... args) throws Exception {
        Map<String, String> before = snapshot();
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), what + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
        assertTrue(Stream.of("never writes over its inputs", "rba writes only regular files", "give each output its own path")
                .anyMatch(r.err()::contains), what + ": refused for the output, not for something else: " + r.err());
        assertEquals(before, snapshot(), what + ": the folder changed");
    }

    private String[] analyze(String option, Path target) {
        return new String[] {"analyze", model.toString(), "--data", images.toString(), "--samples", "8", "--backend", "java",
                "-q", option, target.toString()};
    }

    private String[] approximate(Path target, String... extra) {
        List<String> args = new ArrayList<>(List.of("approximate", model.toString(), "--data", images.toString(),
                "--replace", "2-3", "--samples", "8", "--check-samples", "0", "--backend", "java", "-q", "-o",
                target.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void analyzeNeverWritesOverItsInputs() throws Exception {
        for (String option : List.of("--report", "--heatmap", "--save-stats")) {
            for (Path input : List.of(model, images, labels)) {
                assertRefusedAndUnchanged(option + " " + input.getFileName(), analyze(option, input));
            }
        }
        Path link = Files.createSymbolicLink(dir.resolve("link-to-model.json"), model);
        assertRefusedAndUnchanged("--report through a link", analyze("--report", link));
        Path hard = Files.createLink(dir.resolve("hard-link.json"), model);
        assertRefusedAndUnchanged("--report onto a hard link", analyze("--report", hard));
    }

    @Test
    void approximateNeverWritesOverItsInputs() throws Exception {
        for (Path input : List.of(model, images, labels)) {
            assertRefusedAndUnchanged("-o " + input.getFileName(), approximate(input));
        }
        Path stats = Files.writeString(dir.resolve("stats.rbastats"), "an existing --stats file is read");
        assertRefusedAndUnchanged("-o the --stats file", approximate(stats, "--stats", stats.toString()));
        Path fresh = dir.resolve("new.onnx");
        assertRefusedAndUnchanged("a new --stats that is -o", approximate(fresh, "--stats", fresh.toString()));
        // the external data file written beside -o (OUT.data) must not be an input either
        Path dataNamed = Files.copy(model, dir.resolve("weights.data"));
        String[] args = approximate(dir.resolve("weights"));
        args[1] = dataNamed.toString();
        assertRefusedAndUnchanged("-o whose .data file is the model", args);
    }

    @Test
    void theClassNamesFileAndTheModelsConfigAreInputsToo() throws Exception {
        Path names = Files.writeString(dir.resolve("names.txt"), String.join("\n", "t-shirt", "trouser", "pullover",
                "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot") + "\n");
        Path config = Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"t-shirt\"}}");
        for (Path input : List.of(names, config)) {
            String[] report = analyze("--report", input);
            String[] withNames = java.util.Arrays.copyOf(report, report.length + 2);
            withNames[report.length] = "--class-names";
            withNames[report.length + 1] = names.toString();
            assertRefusedAndUnchanged("--report " + input.getFileName(), withNames);
            assertRefusedAndUnchanged("-o " + input.getFileName(), approximate(input, "--class-names", names.toString()));
        }
    }

    @Test
    void fifosDevicesAndFoldersAreNeverReplaced() throws Exception {
        Path fifo = special(dir.resolve("pipe"), "mkfifo");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        List<Path> targets = new ArrayList<>(List.of(fifo, folder, Files.createSymbolicLink(dir.resolve("to-pipe"), fifo)));
        Path device = special(dir.resolve("null-like"), "mknod", "c", "1", "3");
        if (device != null) targets.add(device);
        for (Path t : targets) {
            assertRefusedAndUnchanged("-o " + t.getFileName(), approximate(t));
            assertRefusedAndUnchanged("--report " + t.getFileName(), analyze("--report", t));
            assertRefusedAndUnchanged("--heatmap " + t.getFileName(), analyze("--heatmap", t));
            assertRefusedAndUnchanged("--save-stats " + t.getFileName(), analyze("--save-stats", t));
        }
    }

    @Test
    void captureNeverWritesOverItsInputs() throws Exception {
        Path npy = Files.createDirectory(dir.resolve("npy"));
        Files.createSymbolicLink(npy.resolve("h_1.npy"), images);
        assertRefusedAndUnchanged("capture onto the data", "capture", model.toString(), "--data", images.toString(),
                "--blocks", "1", "--samples", "4", "-q", "--npy", npy.toString());
    }

    /** mkfifo/mknod through the system tools; null (and a printed reason) where they are missing or need root. */
    private static Path special(Path p, String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, p.toString()));
        cmd.addAll(List.of(args));
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (proc.waitFor() == 0 && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return p;
            System.out.println("OutputSafetyTest: skipping the " + tool + " case: " + out);
        } catch (IOException e) {
            System.out.println("OutputSafetyTest: skipping the " + tool + " case: " + e.getMessage());
        }
        Assumptions.assumeTrue(!tool.equals("mkfifo"), "no mkfifo here");
        return null;
    }
}
