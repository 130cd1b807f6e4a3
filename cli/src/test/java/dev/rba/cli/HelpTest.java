package dev.rba.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rba and every command, nested ones (bench linalg) included, answers --help with its usage, within 80 columns. */
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
        }
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
