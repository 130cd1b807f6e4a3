package dev.rba.cli;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.pipeline.ActivationExport;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.OutputFile;
import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code rba capture}: residual-stream activations to .npy files, for comparison with other tools. */
@Command(name = "capture",
        header = "Writes chosen residual-stream tensors h_k as .npy files.",
        description = {"Runs calibration data through the model and writes chosen residual-stream",
                "tensors h_k as DIR/h_<k>.npy, float32 [samples, tokens, d] (tokens = 1 with",
                "--tokens cls or mean), plus labels.npy (int64) when the data has labels and",
                "token_mask.npy (uint8, 1 = real token) for models with an attention mask.",
                "The samples are the seeded choice 'rba analyze' makes with the same --samples",
                "and --seed.",
                "",
                "Example:",
                "  rba capture vit.onnx --data images/ --blocks 0,4,8 --samples 64 --npy acts/",
                ""})
final class CaptureCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to run.")
    Path model;

    @Mixin
    DataMixin data;

    @Mixin
    RuntimeMixin runtime;

    @Option(names = "--blocks", split = ",", paramLabel = "K",
            description = "Which h_k to write, by index 0..L (h_0 enters block 0, h_L leaves the last block); default all.")
    List<Integer> blocks;

    @Option(names = "--npy", required = true, paramLabel = "DIR", description = "Folder to write the .npy files into (created when missing).")
    Path dir;

    @Option(names = "--tokens", paramLabel = "cls|all|mean", defaultValue = "all",
            converter = EnumValues.Tokens.class, completionCandidates = EnumValues.Tokens.class,
            description = "Rows per sample: all tokens, token 0, or the mean over real tokens (default ${DEFAULT-VALUE}).")
    TokenSelection tokens;

    @Mixin
    BoundariesMixin boundaries;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        RuntimeOptions ort = runtime.runtimeOptions();
        try (LoadedModel m = boundaries.open(model)) {
            int streams = m.blockCount() + 1;
            int[] h = blocks == null ? java.util.stream.IntStream.range(0, streams).toArray()
                    : blocks.stream().mapToInt(Integer::intValue).distinct().toArray();
            for (int k : h) {
                if (k < 0 || k >= streams) {
                    throw new IllegalArgumentException("--blocks " + k + ": the model has h_0..h_" + (streams - 1)
                            + " (" + m.blockCount() + " blocks); give indices in that range");
                }
            }
            m.checkResidualStream();
            checkOutputs(m, h);
            CalibrationData cd = data.open(m, err, common.quiet);
            // analyze's default count: with the same --samples and --seed, capture writes the samples analyze measured
            int[] samples = data.sampleIndices(cd, AnalyzeCommand.DEFAULT_SAMPLES);
            ActivationExport.Options options = new ActivationExport.Options(tokens, data.batchSize(h.length, m), ort.threads(), ort.cuda());
            ActivationExport.Result r;
            try (Progress progress = Progress.start(err, common.quiet, "capture", samples.length, "samples")) {
                r = ActivationExport.export(m, cd, samples, h, dir, options, progress::set);
            }
            StringBuilder names = new StringBuilder();
            for (Path p : r.hFiles()) names.append(names.isEmpty() ? "" : ", ").append(p.getFileName());
            out.printf(Locale.ROOT, "wrote %d files to %s: %s [%d, %d, %d] float32%s%s (%.1f MB)%n",
                    r.hFiles().size() + (r.labels() != null ? 1 : 0) + (r.tokenMask() != null ? 1 : 0), dir, names,
                    r.samples(), r.tokensPerSample(), r.d(),
                    r.labels() != null ? ", labels.npy [" + r.samples() + "] int64" : "",
                    r.tokenMask() != null ? ", token_mask.npy [" + r.samples() + ", " + r.tokensPerSample() + "] uint8" : "",
                    r.bytes() / 1e6);
        }
        out.flush();
        return 0;
    }

    /** Fails before the capture, not after it, when a file in --npy cannot be written or would replace an input. */
    private void checkOutputs(LoadedModel m, int[] h) throws IOException {
        if (!Files.isDirectory(dir)) {
            // created later, with nothing in it to replace: only whether it can be created is checked now
            Path existing = dir.toAbsolutePath().normalize();
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing != null && !Files.isDirectory(existing)) {
                throw new IllegalArgumentException("--npy " + dir + ": " + existing + " is a file, so the folder cannot be "
                        + "created; choose another folder");
            }
            if (existing != null && Files.isDirectory(existing) && !Files.isWritable(existing)) {
                throw new IllegalArgumentException("--npy " + dir + ": the folder " + existing + " is not writable, so it "
                        + "cannot be created there; choose another folder");
            }
            return;
        }
        List<Path> inputs = new ArrayList<>(m.inputFiles());
        inputs.addAll(data.inputFiles(m.path().toAbsolutePath().getParent()));
        List<String> names = new ArrayList<>(List.of("labels.npy", "token_mask.npy"));
        for (int k : h) names.add("h_" + k + ".npy");
        for (String name : names) OutputFile.check(dir.resolve(name), "--npy", inputs);
    }
}
