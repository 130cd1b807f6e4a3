package dev.rba.cli;

import dev.rba.core.Json;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Set;

/**
 * Turns exceptions into one line on stderr and an exit code: 2 for bad input (the user can fix it), 1 for internal
 * errors. Stack traces only with --verbose. Bad-input exceptions are recognised by type; the onnx-io and native
 * exception types are named here by class name so that the CLI does not need to know every module's internals.
 * With --json the same line also goes to stdout as {@code {"error": ..., "exit_code": ...}}: a script that reads
 * stdout as JSON gets JSON on failure too, not an empty stream.
 */
final class CliErrors implements IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 1;

    private static final Set<String> BAD_INPUT_TYPES = Set.of(
            "OnnxFormatException", "InvalidGraphException", "BlockDiscoveryException", "NativeLibraryUnavailableException",
            "InvalidInputException", "StatisticsFormatException", "NonFiniteActivationException", "SingularFitException",
            "ModelRunException", "BackendUnavailableException");

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean json = jsonRequested(parseResult);
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) return onOutOfMemory(oom, err, json ? cmd.getOut() : null); // e.g. from a worker thread
        }
        boolean bad = isBadInput(ex);
        String line = (bad ? "" : "internal error: ") + oneLine(ex);
        err.println("rba: " + line);
        if (CommonOptions.verboseErrors) ex.printStackTrace(err);
        else if (!bad) err.println("rba: run again with --verbose for the stack trace, and please report it");
        err.flush();
        int code = bad ? BAD_INPUT : INTERNAL;
        if (json) printJson(cmd.getOut(), line, code);
        return code;
    }

    /** The error as --json prints it on stdout. */
    public record JsonError(String error, int exitCode) {
    }

    static void printJson(PrintWriter out, String line, int code) {
        out.println(Json.write(new JsonError(line, code)));
        out.flush();
    }

    /** Whether --json was given to the command that ran (or to any command on the line). */
    private static boolean jsonRequested(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) return true;
        }
        return false;
    }

    /** Whether the raw arguments ask for JSON: for errors found before or while the line is parsed. */
    static boolean jsonRequested(String[] args) {
        return args != null && Arrays.asList(args).contains("--json");
    }

    /**
     * One line for a Java OutOfMemoryError, with what to do; the stack trace only with --verbose. Exit 1: the input
     * is fine, the JVM's limit is too low for it.
     */
    static int onOutOfMemory(OutOfMemoryError e, PrintWriter err, PrintWriter jsonOut) {
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        String what = e.getMessage() == null ? "out of memory" : e.getMessage();
        String line = "out of memory (" + printable(what) + "; the Java heap may grow to " + maxMiB + " MiB): give "
                + "the JVM more with RBA_JAVA_OPTS=-Xmx<size> (e.g. -Xmx16g), or lower --batch-size";
        err.println("rba: " + line);
        if (CommonOptions.verboseErrors) e.printStackTrace(err);
        err.flush();
        if (jsonOut != null) printJson(jsonOut, line, INTERNAL);
        return INTERNAL;
    }

    static int onUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String line = printable(ex.getMessage().strip());   // a value given may hold a line break or escape
        err.println("rba: " + line);
        if (jsonRequested(args)) printJson(cmd.getOut(), line, BAD_INPUT);
        // a value picocli's converters refused: the message names the option and the allowed values; one line
        if (ex.getCause() instanceof CommandLine.TypeConversionException) return BAD_INPUT;
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        return BAD_INPUT;
    }

    static boolean isBadInput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof NoSuchFileException || t instanceof FileNotFoundException
                    || t instanceof AccessDeniedException || isBadInputType(t)) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null) return true;
        }
        return false;
    }

    /** Whether the exception's class or a superclass is a bad-input type (BadImageException is an InvalidInputException). */
    private static boolean isBadInputType(Throwable t) {
        for (Class<?> c = t.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
            if (BAD_INPUT_TYPES.contains(c.getSimpleName())) return true;
        }
        return false;
    }

    /** The most helpful single line: the message of the deepest bad-input cause, else of the exception itself. */
    static String oneLine(Throwable ex) {
        Throwable best = ex;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (isBadInputType(t) || t instanceof IllegalArgumentException) {
                best = t;
                break;
            }
        }
        String msg = best.getMessage();
        if (best instanceof NoSuchFileException nsf) msg = "no such file: " + nsf.getFile();
        else if (best instanceof AccessDeniedException ade) msg = "permission denied: " + ade.getFile();
        if (msg == null || msg.isBlank()) msg = best.getClass().getSimpleName();
        return printable(msg.strip());
    }

    /**
     * Line breaks become spaces and other control characters a visible escape: names inside a model (op types, tensor
     * names) are the file's bytes, and a carriage return or escape sequence in one must not break or forge the line.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') b.append(' ');
            else if (Character.isISOControl(c)) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
