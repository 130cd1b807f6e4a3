package dev.rba.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI in-process and captures what it prints. */
record CliRunner(int exitCode, String out, String err) {

    static final Path FIXTURES = Path.of("..", "fixtures").toAbsolutePath().normalize();

    static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** Asserts the command exited 0 (showing what it printed to stderr if not) and printed each of {@code parts}. */
    void assertSucceededPrinting(String... parts) {
        assertEquals(0, exitCode, err);
        for (String part : parts) assertTrue(out.contains(part), "no '" + part + "' in: " + out);
    }
}
