package dev.rba.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rba bench discovery} on tiny graphs: its arguments, its table and an exit code that follows its own verdict
 * (the times themselves are not checked: speed is the benchmark's business, not a test's).
 */
class BenchDiscoveryCommandTest {

    @Test
    void printsTheMachineTheFiguresAndAVerdictItsExitCodeFollows() {
        CliRunner r = CliRunner.run("bench", "discovery", "--nodes", "200,400", "--repeats", "1");
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(2).startsWith("# CPU ") && lines.get(2).contains("hardware threads, Java ")
                && lines.get(2).contains("load average"), r.out());
        assertEquals(List.of("graph", "nodes", "outcome", "CPU", "s", "wall", "s", "us/node"), List.of(lines.get(3).split(" +")));
        assertTrue(lines.get(4).matches("identity-chain +200 refused +\\d+\\.\\d{4} +\\d+\\.\\d{4} +\\d+\\.\\d{2}"), lines.get(4));
        assertTrue(lines.get(7).matches("encoder +392 26 blocks +\\d+\\.\\d{4} .*"), lines.get(7));
        assertTrue(lines.get(8).startsWith("identity-chain: t(400)/t(200) = "), lines.get(8));
        assertTrue(lines.get(9).startsWith("encoder: t(392)/t(197) = "), lines.get(9));
        boolean slower = r.out().contains("GROWS FASTER THAN LINEAR");
        assertEquals(slower ? CliErrors.INTERNAL : 0, r.exitCode(), r.out() + r.err());
        assertEquals(slower, r.err().contains("rba: block discovery failed the benchmark"), r.err());
        assertTrue(r.err().contains("rba: timing encoder at 400 nodes ..."), r.err());
        assertEquals(10, lines.size(), "no issue 13 line without 200,000 nodes: " + r.out());
    }

    @Test
    void badSizesAreOneLine() {
        AnalyzeCommandTest.assertBadInput(CliRunner.run("bench", "discovery", "--nodes", "500"), "two different node counts");
        AnalyzeCommandTest.assertBadInput(CliRunner.run("bench", "discovery", "--nodes", "50,500"), "node count 50 is under 100");
        AnalyzeCommandTest.assertBadInput(CliRunner.run("bench", "discovery", "--nodes", "many"), "--nodes");
        AnalyzeCommandTest.assertBadInput(CliRunner.run("bench", "discovery", "--nodes", "200,400", "--repeats", "0"), "repeats");
    }
}
