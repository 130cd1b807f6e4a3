package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.onnx.runtime.RuntimeOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measurement, not a test (run by hand): top-1 accuracy of the ViT fixture on all test images after replacing each
 * single block and every 2- and 3-block span, linear vs identity, T fitted on 500 training images; then default vs
 * sequential fitting for a few span sets. Arguments: MODEL DATA_FOLDER.
 */
public final class ApproximationMeasurementTool {
    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args[0]);
        Path dataFolder = Path.of(args[1]);
        try (LoadedModel model = LoadedModel.open(modelPath, List.of())) {
            CalibrationData train = DataSources.open(dataFolder, model.inputSpecs(), new DataOptions("train", false, null, model.metadata()));
            CalibrationData test = DataSources.open(dataFolder, model.inputSpecs(), new DataOptions("test", false, null, model.metadata()));
            int[] all = new int[test.size()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            Backend backend = Backends.open("auto").backend();
            HeldOutCheck check = new HeldOutCheck(test, all, 50, RuntimeOptions.defaults(), model.file().folder(), ProgressListener.NONE);
            HeldOutScore orig = check.original(model.file().proto());
            System.out.printf(Locale.ROOT, "original: top-1 %.2f%% on %d test images; fits on 500 train images, all tokens%n",
                    100 * orig.accuracy(), orig.samples());
            ApproximationOptions base = ApproximationOptions.defaults().withSamples(500, 0).withBatchSize(50);
            Approximator lin = new Approximator(model, train, backend, base.withMethod(FitMethod.LINEAR), ProgressListener.NONE);
            Approximator id = new Approximator(model, train, backend, base.withMethod(FitMethod.IDENTITY), ProgressListener.NONE);
            Approximator seq = new Approximator(model, train, backend, base.withMethod(FitMethod.LINEAR).withSequential(true), ProgressListener.NONE);
            StreamStatistics stats = lin.statistics(List.of(new dev.rba.core.stats.StreamPair(0, 8)));
            System.out.println("span      BR         linear acc  agree   | identity acc  agree");
            for (int len = 1; len <= 3; len++) {
                for (int i = 0; i + len <= model.blockCount(); i++) {
                    Span s = new Span(i, i + len - 1);
                    HeldOutScore a = check.score(lin.approximate(List.of(s)).proto(), "");
                    HeldOutScore b = check.score(id.approximate(List.of(s)).proto(), "");
                    System.out.printf(Locale.ROOT, "%-8s  %9.3f  %6.2f%%     %6.2f%% | %6.2f%%       %6.2f%%%n", s.text(),
                            lin.blockRedundancy(stats, s), 100 * a.accuracy(), 100 * a.agreement(), 100 * b.accuracy(), 100 * b.agreement());
                }
            }
            System.out.println("span set      default acc | sequential acc");
            List<List<Span>> sets = List.of(List.of(new Span(1, 1), new Span(3, 3)), List.of(new Span(1, 2), new Span(5, 6)),
                    List.of(new Span(2, 3), new Span(5, 6)), List.of(new Span(1, 1), new Span(3, 3), new Span(5, 5)),
                    List.of(new Span(0, 0), new Span(4, 5)), List.of(new Span(5, 5), new Span(7, 7)));
            for (List<Span> set : sets) {
                HeldOutScore a = check.score(lin.approximate(set).proto(), "");
                HeldOutScore b = check.score(seq.approximate(set).proto(), "");
                System.out.printf(Locale.ROOT, "%-12s  %6.2f%%     | %6.2f%%%n", Span.text(set), 100 * a.accuracy(), 100 * b.accuracy());
            }
            backend.close();
        }
    }
}
