package dev.rba.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rba and every command, nested ones (bench linalg) included, answers --help with its usage, within 80 columns, and
 * --version with rba's version.
 */
class HelpTest {

    @Test
    void everyCommandHasHelpThatFitsATerminal() {
        List<List<String>> paths = new ArrayList<>();
        paths.add(List.of()); // rba itself
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 10, "all commands found: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), path + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: rba"), path + " prints its usage: " + r.out());
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= 80, path + " --help has a line over 80 columns: " + line);
            }
            args.set(args.size() - 1, "--version");
            CliRunner version = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, version.exitCode(), path + " --version: " + version.err());
            assertTrue(version.out().startsWith("rba "), path + " --version prints rba's version: " + version.out());
        }
    }

    @Test
    void anOptionNameTakesTheSameKindOfValueInEveryCommand() {
        // one meaning per name: --output is a file wherever it appears, never a tensor name in one command
        Map<String, Set<String>> labels = new TreeMap<>();
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        for (List<String> path : paths) {
            CommandLine cmd = Main.commandLine();
            for (String name : path) cmd = cmd.getSubcommands().get(name);
            for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
                for (String name : o.names()) labels.computeIfAbsent(name, k -> new TreeSet<>()).add(o.paramLabel());
            }
        }
        labels.forEach((name, kinds) -> assertEquals(1, kinds.size(), name + " takes different values: " + kinds));
        assertEquals(Set.of("OUT.onnx"), labels.get("--output"));
    }

    @Test
    void sharedDataOptionsAreWordedForTheirCommand() {
        String evaluate = CliRunner.run("evaluate", "--help").out();
        assertTrue(evaluate.contains("--data=PATH           Data to evaluate on") && !evaluate.contains("alibration"), evaluate);
        String capture = CliRunner.run("capture", "--help").out();
        assertTrue(capture.contains("--data=PATH           Data to run through the model"), capture);
        assertTrue(CliRunner.run("analyze", "--help").out().contains("--data=PATH           Calibration data:"));
        // evaluate captures no h_k: its batch is the fixed default, not sized by captured tensors
        assertTrue(evaluate.contains("latency batch alike") && !evaluate.contains("captured tensors"), evaluate);
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<List<String>> out) {
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            out.add(path);
            collect(e.getValue(), path, out);
        }
    }
}
