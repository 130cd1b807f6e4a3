package dev.rba.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rba demo}: the main job on the committed fixture, by running the real subcommands in turn, so the demo
 * shows exactly what a user's own commands print.
 */
@Command(name = "demo",
        header = "Runs the whole method on the committed fixture model and data.",
        description = {"Runs the whole method on the committed fixture: an 8-block ViT trained on",
                "Fashion-MNIST (fixtures/models/vit_fmnist_b8.onnx), 1,000 calibration and",
                "2,000 test images.",
                "",
                "  1. rba analyze      BR of every span, cosine/CKA/MSE heatmap (500 images)",
                "  2. rba approximate  --remove 2: candidates ranked by the fit's 1-R^2,",
                "                      the best 8 checked in stages on up to 500 held-out",
                "                      images; the winner replaced by fitted maps",
                "  3. rba evaluate     original vs approximated on the 2,000 test images",
                "",
                "Each step prints the command it runs, to repeat on your own model and data."})
final class DemoCommand extends Subcommand {
    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "rba-demo",
            description = "Folder for the heatmap, the report and the approximated model (default ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--remove", paramLabel = "K", defaultValue = "2", description = "Blocks to remove (default ${DEFAULT-VALUE} of 8).")
    int remove;

    @Mixin
    BackendMixin backendChoice;

    @Override
    int run(PrintWriter out, PrintWriter err) throws IOException {
        Path fixtures = fixtures();
        Path model = fixtures.resolve("models/vit_fmnist_b8.onnx");
        Path data = fixtures.resolve("data/fashion-mnist");
        Files.createDirectories(outDir);
        Path approximated = outDir.resolve("vit_fmnist_b8_rba.onnx");
        Path heatmap = outDir.resolve("heatmap.png");
        long t0 = System.nanoTime();
        int rc = step("1/3 analyze", "analyze", model.toString(), "--data", data.toString(), "--split", "train", "--samples", "500",
                "--heatmap", heatmap.toString(), "--report", outDir.resolve("analysis.json").toString(), "--top", "6");
        if (rc == 0) {
            rc = step("2/3 approximate", "approximate", model.toString(), "--data", data.toString(), "--split", "train",
                    "--samples", "500", "--check-samples", "500", "--remove", Integer.toString(remove), "-o", approximated.toString());
        }
        if (rc == 0) {
            rc = step("3/3 evaluate", "evaluate", approximated.toString(), "--baseline", model.toString(), "--data", data.toString(),
                    "--split", "test");
        }
        if (rc == 0) {
            out.println();
            Tables.line(out, String.format(java.util.Locale.ROOT, "demo done in %.1f s: heatmap %s, approximated model %s",
                    (System.nanoTime() - t0) / 1e9, heatmap.toAbsolutePath(), approximated.toAbsolutePath()));
        }
        out.flush();
        return rc;
    }

    private int step(String title, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (backendChoice.backend != null && !args[0].equals("evaluate")) all.addAll(List.of("--backend", backendChoice.backend));
        if (common.quiet) all.add("--quiet");
        if (common.verbose) all.add("--verbose");
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println("== " + title + ": rba " + String.join(" ", all));
        out.flush();
        CommandLine root = spec.root().commandLine();
        return root.execute(all.toArray(String[]::new));
    }

    /** The committed fixtures: beside the launcher (rba.home), or in a parent of the working folder. */
    private static Path fixtures() throws IOException {
        String home = System.getProperty("rba.home");
        if (home != null && Files.isDirectory(Path.of(home, "fixtures/models"))) return Path.of(home, "fixtures");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/models"))) return p.resolve("fixtures");
        }
        throw new IOException("the demo needs the repository's fixtures/ folder: run it from the repository (./rba demo)");
    }
}
