package dev.rba.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root command: only groups the subcommands and explains the workflow. */
@Command(name = "rba",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "Finds redundant blocks in an exported ONNX vision transformer and replaces",
                "a run of them with one closed-form linear map: a smaller, faster plain ONNX",
                "model, without retraining.",
                "",
                "Start with 'rba demo': the whole method on the committed fixture model.",
                "",
                "Typical workflow:",
                "  rba inspect model.onnx           the blocks rba finds (h_0..h_L, params, MACs)",
                "  rba analyze model.onnx --data D  rank spans by redundancy; heatmaps",
                "  rba approximate model.onnx --data D --replace 5-6 -o new.onnx",
                "                                   replace blocks 5-6 by one linear map",
                "  rba evaluate new.onnx --baseline model.onnx --data D",
                "                                   accuracy, agreement, size, latency",
                "  rba doctor                       which backend runs (cuda, openblas, java)",
                ""},
        footer = {"", "Exit codes: 0 success, 1 internal error (please report it), 2 bad input or usage.",
                "Add --verbose to any command to see stack traces."},
        subcommands = {DemoCommand.class, InspectCommand.class, DoctorCommand.class, BenchCommand.class, AnalyzeCommand.class, CaptureCommand.class, EvaluateCommand.class, ApproximateCommand.class, HelpCommand.class})
public final class RbaCommand {
}
