package dev.rba.cli;

import picocli.CommandLine;

import java.util.ResourceBundle;

/** Entry point of the {@code rba} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 internal error, 2 bad input or usage), for tests and embedding. */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors through; the heap arrays that filled it are unreachable by now
            return CliErrors.onOutOfMemory(e, cli.getErr(), CliErrors.jsonRequested(args) ? cli.getOut() : null);
        }
    }

    /** The configured command line: error handlers that map exceptions to exit codes and one-line messages. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RbaCommand());
        cli.setExecutionExceptionHandler(new CliErrors());
        cli.setParameterExceptionHandler(CliErrors::onUsageError);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setResourceBundle(ResourceBundle.getBundle("dev.rba.cli.Help"));
        return cli;
    }
}
