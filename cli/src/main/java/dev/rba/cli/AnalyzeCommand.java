package dev.rba.cli;

import dev.rba.core.Json;
import dev.rba.core.analysis.AnalysisMetric;
import dev.rba.core.analysis.AnalysisOptions;
import dev.rba.core.tools.HeatmapPng;
import dev.rba.core.analysis.RedundancyAnalysis;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.Fingerprints;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.NewOutputs;
import dev.rba.onnx.api.OutputFile;
import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code rba analyze}: one calibration pass, then Block Redundancy of every span and similarity matrices. */
@Command(name = "analyze",
        header = "Ranks spans of blocks by redundancy; similarity matrices and heatmap.",
        description = {"Runs calibration data through the model once and measures how much each run of",
                "blocks changes the residual stream h_0..h_L (h_0 enters block 0, h_k leaves",
                "block k-1).",
                "",
                "Block Redundancy (BR) of span i-j (blocks i..j, mapping h_i to h_{j+1}) is minus",
                "the mean squared distance between h_i and h_{j+1} on the class token (the mean",
                "token for models without one). Closer to 0 = more redundant = a candidate for",
                "'rba approximate --replace i-j'. BR alone is a weak predictor of accuracy:",
                "approximate checks candidates on held-out data.",
                "Similarity matrices compare every pair h_a, h_b (cosine, linear CKA, MSE).",
                "Only O(d^2) statistics per pair are kept: any number of samples fits in memory.",
                "",
                "Example:",
                "  rba analyze vit.onnx --data images/ --heatmap sim.png --report report.json",
                ""})
final class AnalyzeCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to analyze.")
    Path model;

    @Mixin
    DataMixin data;

    @Mixin
    RuntimeMixin runtime;

    @Mixin
    BackendMixin backendChoice;

    @Option(names = "--metric", paramLabel = "METRIC", split = ",", defaultValue = "br,cosine,cka,mse",
            converter = EnumValues.Metric.class, completionCandidates = EnumValues.Metric.class,
            description = "What to report, comma-separated from ${COMPLETION-CANDIDATES}: br ranks spans, the others are similarity matrices (default ${DEFAULT-VALUE}). Without cka no Gram is kept: ((L+1) d)^2 fp64 less memory.")
    List<AnalysisMetric> metrics;

    @Option(names = "--tokens", paramLabel = "cls|all|mean",
            converter = EnumValues.Tokens.class, completionCandidates = EnumValues.Tokens.class,
            description = "Rows the similarity matrices use: the class token, all tokens, or the mean token (default: the token BR reads).")
    TokenSelection tokens;

    @Mixin
    SummaryTokenMixin summaryToken;

    @Option(names = "--max-span", paramLabel = "K", defaultValue = "0",
            description = "Rank spans of at most K blocks (default 0: all lengths).")
    int maxSpan;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Spans shown in the BR table (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--heatmap", paramLabel = "FILE.png", description = "Write the similarity matrices as a PNG heatmap.")
    Path heatmap;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the full report (all spans, all matrices) as JSON.")
    Path report;

    @Option(names = "--save-stats", paramLabel = "FILE",
            description = "Save the all-token statistics (what the fits need), so that 'rba approximate --stats FILE' runs without ONNX Runtime.")
    Path saveStats;

    @Mixin
    BoundariesMixin boundaries;

    @Mixin
    JsonMixin json;

    static final int DEFAULT_SAMPLES = 500;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        Set<AnalysisMetric> chosen = EnumSet.copyOf(metrics);
        AnalysisOptions analysisOptions = new AnalysisOptions(chosen, maxSpan);
        TokenSelection simTokens = tokens;
        TokenSelection brToken = summaryToken.token;
        if (top <= 0) throw new IllegalArgumentException("--top must be positive, got " + top);
        RuntimeOptions ort = runtime.runtimeOptions();
        try (LoadedModel m = boundaries.open(model)) {
            checkOutputs(m);
            m.checkResidualStream();
            CalibrationData cd = data.open(m, err, common.quiet);
            int[] samples = data.sampleIndices(cd, DEFAULT_SAMPLES);
            // all-token Grams only when something reads them: they cost about as much as the forward pass
            boolean allTokenGrams = saveStats != null || simTokens == TokenSelection.ALL;
            // every h_k is captured (the similarity matrices and Block Redundancy read all of them)
            int batchSize = data.batchSize(m.blockCount() + 1, m);
            CalibrationOptions options = new CalibrationOptions(batchSize, ort.threads(), ort.cuda(), brToken, simTokens, maxSpan,
                    allTokenGrams).withSimilarityGrams(chosen.contains(AnalysisMetric.CKA));
            CalibrationResult result;
            BackendSelection sel = backendChoice.openBackend(err, common.quiet);
            try (var backend = sel.backend();
                 Progress progress = Progress.start(err, common.quiet, "calibration", samples.length, "samples")) {
                result = CalibrationPass.run(m, cd, samples, backend, options, progress::set, null);
            }
            for (String w : cd.warnings()) if (w.contains("skipped")) err.println("rba: warning: " + w);
            RedundancyReport analysis = RedundancyAnalysis.analyze(result.fitStatistics(), result.similarityStatistics(), analysisOptions);
            Map<String, Object> files = new java.util.LinkedHashMap<>();
            // outputs this run created: removed again if a later one fails, so a failed command leaves no new file
            NewOutputs created = new NewOutputs();
            AnalysisReport.JsonReport full;
            try {
                if (saveStats != null) {
                    created.before(saveStats);
                    result.fitStatistics().withFingerprint(Fingerprints.of(m, cd, samples, batchSize)).save(saveStats);
                    files.put("statistics", saveStats.toString());
                }
                if (heatmap != null) {
                    created.before(heatmap);
                    int[] size = HeatmapPng.write(heatmap, analysis.matrices(), m.path().getFileName() + ": " + result.samples()
                            + " samples");
                    files.put("heatmap", heatmap + " (" + size[0] + "x" + size[1] + ")");
                }
                full = AnalysisReport.JsonReport.of(m, cd, result, analysis, files);
                if (report != null) {
                    created.before(report);
                    AnalysisReport.writeAtomically(report, Json.write(full));
                    files.put("report", report.toString());
                }
            } catch (IOException | RuntimeException e) {
                created.removeAll(e);
                throw e;
            }
            if (json.enabled) out.println(Json.write(full));
            else AnalysisReport.printText(out, m, result, analysis, top, files);
        }
        out.flush();
        return 0;
    }

    /** Fails before the long pass, not after it, when an output cannot be written or would replace an input. */
    private void checkOutputs(LoadedModel m) throws IOException {
        List<Path> inputs = new ArrayList<>(m.inputFiles());
        inputs.addAll(data.inputFiles(m.path().toAbsolutePath().getParent()));
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--heatmap", heatmap);
        outputs.put("--report", report);
        outputs.put("--save-stats", saveStats);
        for (Map.Entry<String, Path> o : outputs.entrySet()) {
            if (o.getValue() != null) OutputFile.check(o.getValue(), o.getKey(), inputs);
        }
        OutputFile.checkDistinct(heatmap, "--heatmap", report, "--report");
        OutputFile.checkDistinct(heatmap, "--heatmap", saveStats, "--save-stats");
        OutputFile.checkDistinct(report, "--report", saveStats, "--save-stats");
    }
}
