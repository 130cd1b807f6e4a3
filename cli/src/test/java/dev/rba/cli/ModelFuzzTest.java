package dev.rba.cli;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutation fuzzing of what every command does first: read, validate, load in ONNX Runtime, discover blocks
 * ({@code rba inspect}). Seeds are the fixtures' architectures in small form ({@code fixtures/fuzz/seeds/}, written by
 * {@code tools/fuzz/make_seeds.py}); every past finding is a committed regression input
 * ({@code fixtures/fuzz/findings/}). The bounded run in the build lasts {@code rba.fuzz.seconds} (default 100) from
 * seed {@code rba.fuzz.seed} (default 13): the same seed gives the same inputs. {@code tools/fuzz/run.sh} runs it
 * longer. New findings are written to {@code cli/target/fuzz-findings/} and fail the run.
 */
class ModelFuzzTest {
    static final Path SEEDS = CliRunner.FIXTURES.resolve("fuzz/seeds");
    static final Path FINDINGS = CliRunner.FIXTURES.resolve("fuzz/findings");
    private static final int POOL = 256;

    static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(SEEDS)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) out.add(Files.readAllBytes(p));
        }
        assertFalse(out.isEmpty(), "no seeds in " + SEEDS);
        return out;
    }

    @Test
    void seedsAreValidModelsWithBlocks(@TempDir Path dir) throws Exception {
        try (InspectFuzzTarget target = new InspectFuzzTarget(dir)) {
            for (byte[] seed : seeds()) {
                InspectFuzzTarget.Outcome o = target.run(seed);
                assertEquals(0, o.exitCode(), o.detail());
            }
        }
    }

    @Test
    void pastFindingsStayFixed(@TempDir Path dir) throws Exception {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(FINDINGS)) {
            inputs = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        try (InspectFuzzTarget target = new InspectFuzzTarget(dir)) {
            for (byte[] seed : seeds()) target.run(seed);   // warm-up: JIT compilation is not the inputs' cost
            for (Path p : inputs) {
                InspectFuzzTarget.Outcome o = target.run(Files.readAllBytes(p));
                assertFalse(o.isFinding(), p.getFileName() + ": " + o.detail());
                System.out.printf(Locale.ROOT, "finding %s: exit %d in %.2f CPU s, %s%n", p.getFileName(), o.exitCode(),
                        o.seconds(), o.detail());
            }
        }
    }

    @Test
    void boundedMutationRun() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("rba.fuzz.seconds", "100"));
        long seed = Long.parseLong(System.getProperty("rba.fuzz.seed", "13"));
        Path findingsOut = Path.of(System.getProperty("rba.fuzz.out", "target/fuzz-findings")).toAbsolutePath();
        List<String> findings = fuzz(seconds, seed, findingsOut);
        assertTrue(findings.isEmpty(), findings.size() + " findings (inputs in " + findingsOut + "): " + findings);
    }

    /** Runs mutants until the time is up; returns one line per finding, each input saved under {@code out}. */
    static List<String> fuzz(double seconds, long seed, Path out) throws Exception {
        List<byte[]> pool = new ArrayList<>(seeds());
        List<ModelProto> parsed = new ArrayList<>();
        for (byte[] b : pool) parsed.add(ModelMutator.parse(b));
        int seedCount = pool.size();
        Random random = new Random(seed);
        ModelMutator mutator = new ModelMutator(random);
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long executions = 0;
        double slowest = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        // the input being run lies in OUT/current/model.onnx, where a crash of the JVM (in native code) leaves it
        Path current = Files.createDirectories(out.resolve("current"));
        try (InspectFuzzTarget target = new InspectFuzzTarget(current)) {
            while (System.nanoTime() < end) {
                int pick = random.nextInt(pool.size());
                byte[] input = mutator.mutate(pool.get(pick), parsed.get(pick), pool.get(random.nextInt(pool.size())));
                InspectFuzzTarget.Outcome o = target.run(input);
                executions++;
                slowest = Math.max(slowest, o.seconds());
                outcomes.merge(o.exitCode() == 0 ? "exit 0" : o.exitCode() == 2 ? "exit 2" : "finding", 1, Integer::sum);
                if (o.isFinding()) {
                    String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)).substring(0, 16);
                    Files.write(out.resolve(name + ".onnx"), input);
                    Files.writeString(out.resolve(name + ".txt"), o.detail() + "\n");
                    findings.add(name + ": " + o.detail());
                } else if (o.exitCode() == 0 && pool.size() < seedCount + POOL) {
                    // a mutant that still runs is a new starting point: later mutations stack on it
                    ModelProto m = tryParse(input);
                    if (m != null) {
                        pool.add(input);
                        parsed.add(m);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "fuzz: seed %d, %.0f s, %d executions (%.1f/s), outcomes %s, slowest %.2f CPU s, %d findings%n",
                seed, seconds, executions, executions / seconds, outcomes, slowest, findings.size());
        return findings;
    }

    private static ModelProto tryParse(byte[] b) {
        try {
            return ModelProto.parseFrom(b);
        } catch (IOException e) {
            return null;
        }
    }
}
