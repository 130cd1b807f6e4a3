package dev.rba.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Java OutOfMemoryError ends a command with one line saying what to do and exit 1, never a stack trace. */
class OutOfMemoryMessageTest {

    @Test
    void heapExhaustionThrownByACommandIsOneLine() {
        StringWriter err = new StringWriter();
        int code = CliErrors.onOutOfMemory(new OutOfMemoryError("Java heap space"), new PrintWriter(err, true), null);
        assertEquals(CliErrors.INTERNAL, code);
        assertOneLineWithAdvice(err.toString());
    }

    @Test
    void heapExhaustionInAWorkerThreadWrappedInAnExceptionIsOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new RbaCommand());
        cmd.setErr(new PrintWriter(err, true));
        RuntimeException wrapped = new RuntimeException("worker failed", new OutOfMemoryError("Java heap space"));
        int code = new CliErrors().handleExecutionException(wrapped, cmd, null);
        assertEquals(CliErrors.INTERNAL, code);
        assertOneLineWithAdvice(err.toString());
    }

    private static void assertOneLineWithAdvice(String err) {
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, err);
        assertTrue(lines[0].startsWith("rba: out of memory (Java heap space"), err);
        assertTrue(lines[0].contains("RBA_JAVA_OPTS=-Xmx"), err);
        assertFalse(err.contains("\tat "), "no stack trace without --verbose: " + err);
    }
}
