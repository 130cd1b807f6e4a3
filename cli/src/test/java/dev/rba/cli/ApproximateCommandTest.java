package dev.rba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rba approximate} end to end on the ViT fixture with small sample counts, and its bad-input cases. */
class ApproximateCommandTest {
    private static final Path MODEL = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx");
    private static final Path DATA = CliRunner.FIXTURES.resolve("data/fashion-mnist");

    @BeforeAll
    static void fixture() {
        Assumptions.assumeTrue(Files.isRegularFile(MODEL), "vit_fmnist_b8.onnx fixture not exported yet");
    }

    private static CliRunner approximate(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("approximate", MODEL.toString(), "--data", DATA.toString(), "--split", "test",
                "--samples", "48", "--check-samples", "64", "--threads", "1", "--backend", "java", "-q", "-o", out.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** The npz fixture's 200 test images without their labels, written to {@code dir}. */
    private static Path unlabelledImages(Path dir) throws java.io.IOException {
        var arrays = new java.util.LinkedHashMap<>(dev.rba.core.data.Npz.read(CliRunner.FIXTURES.resolve(
                "data/fashion-mnist-npz/test-200.npz")));
        arrays.remove("labels");
        Path npz = dir.resolve("unlabelled.npz");
        dev.rba.core.data.Npz.write(npz, arrays, false);
        return npz;
    }

    @Test
    void replacesASpanAndReportsIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("vit_rba.onnx");
        CliRunner r = approximate(out, "--replace", "5-6");
        r.assertSucceededPrinting("blocks 5-6 (h_5 -> h_7)", "held-out (64 samples, quality class-scores)", "wrote " + out);
        assertTrue(Files.size(out) > 0);
        // the written model is a model rba can read again, with two blocks fewer
        CliRunner inspect = CliRunner.run("inspect", out.toString(), "--json");
        inspect.assertSucceededPrinting("rba.approximation");

        // a second approximation of the rewritten model, in the original model's block numbers
        Path again = dir.resolve("vit_rba2.onnx");
        List<String> args = new ArrayList<>(List.of("approximate", out.toString(), "--data", DATA.toString(), "--split",
                "test", "--samples", "48", "--check-samples", "64", "--threads", "1", "--backend", "java", "-q",
                "--ridge", "auto", "--replace", "2-2", "-o", again.toString()));
        CliRunner second = CliRunner.run(args.toArray(String[]::new));
        second.assertSucceededPrinting("(8 blocks)", "block 2 (h_2 -> h_3)");
        CliRunner text = CliRunner.run("inspect", again.toString());
        text.assertSucceededPrinting("5 (and 2 replaced spans)", "blocks 2-2, 5-6 replaced");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("5-6") && l.contains("(replaced by rba)")), text.out());
    }

    @Test
    void printsTheTimeOfEachStageOnStandardError(@TempDir Path dir) {
        Path out = dir.resolve("timed.onnx");
        CliRunner r = CliRunner.run("approximate", MODEL.toString(), "--data", DATA.toString(), "--split", "test",
                "--samples", "16", "--check-samples", "16", "--threads", "1", "--backend", "java", "--replace", "3-4",
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String line = r.err().lines().filter(l -> l.startsWith("rba: time: ")).findFirst().orElseThrow(() -> new AssertionError(r.err()));
        Map<String, Double> stages = new LinkedHashMap<>();
        for (String part : line.substring("rba: time: ".length()).split(", ")) {
            int sp = part.lastIndexOf(' ', part.length() - 3);
            assertTrue(part.endsWith(" s"), part);
            stages.put(part.substring(0, sp), Double.parseDouble(part.substring(sp + 1, part.length() - 2)));
        }
        for (String stage : List.of("model read", "blocks", "data open", "summary-token probe", "calibration session",
                "calibration ORT run", "calibration statistics", "fit", "rewrite", "check original", "check result",
                "source hash", "write", "other", "total")) {
            assertTrue(stages.containsKey(stage), stage + " in " + line);
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : stages.entrySet()) if (!e.getKey().equals("total")) sum += e.getValue();
        // the stages and "other" make up the process's wall time (up to the rounding of each to 10 ms)
        assertEquals(stages.get("total"), sum, 0.01 * stages.size(), line);
    }

    @Test
    void selectsWithHeldOutChecksAndPrintsJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sel.onnx");
        CliRunner r = approximate(out, "--remove", "2", "--candidates", "2", "--max-spans", "1", "--sequential", "--json");
        r.assertSucceededPrinting("\"check_samples\": 64", "\"fit_samples\": 48", "\"chosen\": true", "\"timings_s\": {",
                "\"check candidates\": ", "\"runner_up\": {", "\"decided_by\": \"kl+labels\"", "\"label_weight\": 0.25",
                "\"search\": \"staged\"", "\"candidates_checked\": 2");
        assertTrue(Files.isRegularFile(out));
        // labelled data, --label-weight 0: the stages order by the KL divergence alone, as without labels
        Path klOnly = dir.resolve("kl.onnx");
        approximate(klOnly, "--remove", "2", "--candidates", "2", "--max-spans", "1", "--label-weight", "0", "--json")
                .assertSucceededPrinting("\"decided_by\": \"kl\"", "\"label_weight\": 0.0");
        // 2 candidates: both on 32 of the 64 samples, the survivor on all; the runner-up is the other one, compared on
        // those 32, and 'tied' says whether the paired interval of the KL difference holds 0
        JsonNode sel = new ObjectMapper().readTree(r.out()).get("selection");
        JsonNode up = sel.get("runner_up");
        assertEquals(32, up.get("samples").asInt());
        String loser = null;
        for (JsonNode c : sel.get("candidates")) {
            if (c.get("checked").asBoolean() && !c.get("chosen").asBoolean()) loser = c.get("spans").asText();
        }
        assertEquals(loser, up.get("spans").asText());
        double low = up.get("difference_interval").get(0).asDouble();
        double high = up.get("difference_interval").get(1).asDouble();
        double gap = up.get("difference").asDouble();
        assertEquals(up.get("runner_up").asDouble() - up.get("chosen").asDouble(), gap, 1e-12);
        assertTrue(gap >= 0, "the stage kept the smaller KL");
        assertEquals(low <= 0 && 0 <= high, up.get("tied_within_noise").asBoolean());
    }

    @Test
    void accuracySearchScoresEveryCandidateOnAllSamplesAndChoosesTheMostAccurate(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("acc.onnx");
        CliRunner r = approximate(out, "--remove", "1", "--max-spans", "1", "--search", "accuracy", "--json");
        r.assertSucceededPrinting("\"decided_by\": \"accuracy\"", "\"runner_up\": {", "\"search\": \"accuracy\"",
                "\"candidates_checked\": 8");
        JsonNode sel = new ObjectMapper().readTree(r.out()).get("selection");
        assertEquals(1, sel.get("stages").size());
        assertEquals(8, sel.get("stages").get(0).get("candidates").asInt(), "every single block of 8");
        assertEquals(64, sel.get("stages").get(0).get("samples").asInt());
        double best = Double.POSITIVE_INFINITY;
        double chosen = Double.NaN;
        for (JsonNode c : sel.get("candidates")) {
            assertTrue(c.get("checked").asBoolean());
            assertEquals(64, c.get("score").get("samples").asInt());
            best = Math.min(best, c.get("score").get("drop").asDouble());
            if (c.get("chosen").asBoolean()) chosen = c.get("score").get("drop").asDouble();
        }
        assertEquals(best, chosen, 1e-12, "the chosen one has the least top-1 drop");
        assertEquals("drop", sel.get("runner_up").get("decided_by").asText());
        assertTrue(Files.isRegularFile(out));
        // the text report says how it chose
        CliRunner text = approximate(dir.resolve("acc2.onnx"), "--remove", "1", "--max-spans", "1", "--search", "accuracy",
                "--candidates", "3");
        text.assertSucceededPrinting("the best 3 of each size scored on all",
                "every candidate ran on all the samples, ordered by their drop in top-1 accuracy", "<- chosen",
                "5 lower-ranked candidates not checked", "on the same 64 samples: drop ");
        // --max-drop: every size's candidates in one table, the least drops first; the chosen (of the largest size
        // accepted, whose drops are larger than the smaller sizes') and its runner-up are always among the rows
        CliRunner sizes = approximate(dir.resolve("acc3.onnx"), "--max-drop", "15", "--max-spans", "1", "--search",
                "accuracy", "--candidates", "4", "--translator", "identity");
        assertEquals(0, sizes.exitCode(), sizes.err());
        assertTrue(sizes.out().contains("<- chosen") && sizes.out().contains("runner-up"), sizes.out());
    }

    @Test
    void accuracySearchWithoutLabelsIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path npz = unlabelledImages(dir);
        Path out = dir.resolve("acc.onnx");
        CliRunner r = CliRunner.run("approximate", MODEL.toString(), "--data", npz.toString(), "--samples", "48",
                "--threads", "1", "--backend", "java", "--remove", "1", "--search", "accuracy", "-q", "-o", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).count(), r.err());
        assertTrue(r.err().contains("--search accuracy counts right answers, but the data has no labels"), r.err());
        assertFalse(r.err().contains("calibration"), "refused before the calibration pass: " + r.err());
        assertFalse(Files.exists(out));
        CliRunner bad = approximate(out, "--remove", "1", "--candidates", "none");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("'none' is not a number of candidates: give N >= 1 or all"), bad.err());
    }

    @Test
    void unlabelledDataPrintsTheSelectionTableWithIntervals(@TempDir Path dir) throws Exception {
        // without labels the table's accuracy column is empty in every row (once a crash)
        Path npz = unlabelledImages(dir);
        Path out = dir.resolve("sel.onnx");
        CliRunner r = CliRunner.run("approximate", MODEL.toString(), "--data", npz.toString(), "--samples", "48",
                "--check-samples", "64", "--threads", "1", "--backend", "java", "-q", "--remove", "2", "--candidates", "2",
                "-o", out.toString());
        r.assertSucceededPrinting("quality: class-scores", "agreement [95%]", "drop [95%]", "<- chosen", "runner-up",
                "on the same 32 samples: KL ");
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void maxDropKeepsTheMostBlocksWhoseUpperBoundStaysWithinTheLimit(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("maxdrop.onnx");
        CliRunner r = approximate(out, "--max-drop", "10", "--candidates", "2", "--max-spans", "1");
        assertEquals(0, r.exitCode(), r.err());
        // the selection tables, joined by row number #: #, blocks, rank, ..., span(s); then #, samples, ...,
        // drop [low, high], chosen
        java.util.regex.Pattern rankedRow = java.util.regex.Pattern.compile(
                "^(\\d+)\\s+(\\d+)\\s+\\d+\\s+\\S+\\s+\\S+\\s+\\S+ \\(h_\\d+->h_\\d+\\).*$");
        java.util.regex.Pattern checkRow = java.util.regex.Pattern.compile(
                "^(\\d+)\\s+(\\d+)\\s.*\\[(-?[\\d.]+), (-?[\\d.]+)\\]\\s*(<- chosen)?( \\(tied\\)|runner-up( \\(tied\\))?)?$");
        java.util.Map<Integer, Integer> blocksOfRow = new java.util.HashMap<>();
        int chosen = -1;
        double chosenHigh = Double.NaN;
        java.util.Map<Integer, Double> bestHighOnAll = new java.util.HashMap<>();
        for (String line : r.out().lines().toList()) {
            var ranked = rankedRow.matcher(line);
            if (ranked.matches()) {
                blocksOfRow.put(Integer.parseInt(ranked.group(1)), Integer.parseInt(ranked.group(2)));
                continue;
            }
            var m = checkRow.matcher(line);
            if (!m.matches() || !blocksOfRow.containsKey(Integer.parseInt(m.group(1)))) continue;
            int blocks = blocksOfRow.get(Integer.parseInt(m.group(1)));
            double high = Double.parseDouble(m.group(4));
            // the candidate of a size that survived to the last stage ran on all 64 held-out samples
            if (Integer.parseInt(m.group(2)) == 64) bestHighOnAll.put(blocks, high);
            if (m.group(5) != null) {
                chosen = blocks;
                chosenHigh = high;
            }
            assertTrue(line.length() <= Tables.WIDTH, "within " + Tables.WIDTH + " columns: " + line);
        }
        assertTrue(chosen >= 1, "one row is chosen: " + r.out());
        assertTrue(chosenHigh <= 10, "the chosen drop's upper bound is within --max-drop: " + r.out());
        for (int b = 1; b < chosen; b++) {
            assertTrue(bestHighOnAll.get(b) <= 10, "every smaller size was accepted: " + r.out());
        }
        // the search stopped at the next size because its best candidate's upper bound is over the limit
        assertTrue(bestHighOnAll.get(chosen + 1) > 10, "the next size failed: " + r.out());
        CliRunner inspect = CliRunner.run("inspect", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains((8 - chosen) + " (and 1 replaced span"), inspect.out());
    }

    @Test
    void anUnmetMaxDropExitsTwoAndLeavesNoOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("none.onnx");
        // relative L2 of the logits is above 0 for any fitted span, so a drop of at most 0 cannot be met; the
        // statistics file this run writes after its calibration pass must go too
        CliRunner r = approximate(out, "--max-drop", "0", "--quality", "relative-l2", "--candidates", "1",
                "--max-spans", "1", "--stats", dir.resolve("run.stats").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("allow a larger --max-drop"), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing left behind");
        }
    }

    @Test
    void badInputExitsTwoAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bad.onnx");
        String[][] cases = {
                {"--replace", "7-8"},                       // block 8 does not exist
                {"--replace", "2-4", "--replace", "4-5"},   // overlap
                {"--replace", "x-2"},                       // not a span
                {"--replace", "2-3", "--remove", "2"},      // two goals
                {"--remove", "8"},                          // all blocks
                {"--replace", "2-3", "--translator", "cubic"},
                {"--replace", "2-3", "--ridge", "lots"},
                {"--replace", "2-3", "--ridge", "auto", "--translator", "orthogonal"},
                {"--remove", "2", "--quality", "top5"},
                {"--remove", "2", "--rank-by", "magic"},
                {"--remove", "2", "--budget", "-1"},
        };
        for (String[] c : cases) {
            CliRunner r = approximate(out, c);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "no output after " + String.join(" ", c));
        }
        CliRunner same = CliRunner.run("approximate", MODEL.toString(), "--data", DATA.toString(), "--replace", "2-3", "-q",
                "-o", MODEL.toString());
        assertEquals(2, same.exitCode(), same.err());
        assertTrue(same.err().contains("never writes over its inputs"), same.err());
        CliRunner tooMany = approximate(out, "--replace", "2-3", "--samples", "1990", "--check-samples", "20");
        assertEquals(2, tooMany.exitCode(), tooMany.err());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary files left behind");
        }
    }

    /** A BERT whose mask input is named input_mask: the JSON report names the mask found and the token BR read. */
    @Test
    void badQualityOrPredictorIsOneLineNamingTheAllowedValues(@TempDir Path dir) {
        Path out = dir.resolve("bad.onnx");
        CliRunner quality = approximate(out, "--remove", "2", "--quality", "top5");
        assertEquals(2, quality.exitCode(), quality.err());
        assertEquals(1, quality.err().strip().lines().count(), quality.err());
        assertTrue(quality.err().contains("--quality") && quality.err().contains("unknown quality measure 'top5': use auto, "
                + "class-scores, token-embeddings, pooled-embedding or relative-l2"), quality.err());
        CliRunner rankBy = approximate(out, "--remove", "2", "--rank-by", "FIT-1-R3");
        assertEquals(2, rankBy.exitCode(), rankBy.err());
        assertEquals(1, rankBy.err().strip().lines().count(), rankBy.err());
        assertTrue(rankBy.err().contains("--rank-by") && rankBy.err().contains("unknown predictor 'FIT-1-R3': use br, "
                + "br-scaled, mse-var, cosine, summary-cosine, cka, fit-residual or fit-1-r2"), rankBy.err());
        assertFalse(Files.exists(out));
        CliRunner weight = approximate(out, "--remove", "2", "--label-weight", "1.5");
        assertEquals(2, weight.exitCode(), weight.err());
        assertEquals(1, weight.err().strip().lines().count(), weight.err());
        assertTrue(weight.err().contains("--label-weight must be between 0 and 1, got 1.5"), weight.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void jsonNamesTheMaskAndTheSummaryToken(@TempDir Path dir) {
        Path bert = CliRunner.FIXTURES.resolve("models/hf_bert_input_mask.onnx");
        CliRunner r = CliRunner.run("approximate", bert.toString(), "--data",
                CliRunner.FIXTURES.resolve("models/hf_bert_input_mask.expected.npz").toString(), "--replace", "1-2",
                "--samples", "4", "--check-samples", "0", "--threads", "1", "--backend", "java", "--json", "-q",
                "-o", dir.resolve("b.onnx").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"input\": \"input_mask\""), r.out());
        assertTrue(r.out().contains("\"token\": \"cls\"") && r.out().contains("head reads token 0"), r.out());
    }
}
