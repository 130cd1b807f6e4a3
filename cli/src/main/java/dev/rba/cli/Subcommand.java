package dev.rba.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every rba command has: its picocli spec, the options every command takes ({@link CommonOptions}, applied
 * before it runs), and the output and error streams of its command line (tests give their own). The command settings
 * below hold for every subclass (picocli applies a superclass's {@code @Command} first): --help and --version, and
 * options listed in the order the command declares them.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false)
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws Exception {
        common.apply();
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the command; returns its exit code. */
    abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
