package dev.rba.core.eval;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.ClassNames;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed PNG folder (class folders ankle_boot, bag, ..., whose sort order is not the model's) scores what the
 * same 50 images score from the IDX file with its own labels. Labels by folder sort order gave 40% against 92%.
 */
class ImageFolderAccuracyTest {
    static final Path PNG = EvaluatorTest.FIXTURES.resolve("data/fashion-mnist-png");
    static final Path IDX = EvaluatorTest.FIXTURES.resolve("data/fashion-mnist");

    @Test
    void pngFolderScoresTheIdxAccuracyOfTheSameImages() throws Exception {
        List<Integer> originals = Files.readAllLines(IDX.resolve("source-indices-t10k.txt")).stream()
                .map(l -> Integer.parseInt(l.strip())).toList();
        List<Integer> positions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(PNG)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                positions.add(originals.indexOf(Integer.parseInt(p.getFileName().toString().replace(".png", ""))));
            }
        }
        assertEquals(50, positions.size());
        CalibrationData folder;
        CalibrationData idx;
        try (LoadedModel m = LoadedModel.open(EvaluatorTest.VIT, List.of())) {
            DataOptions options = new DataOptions("test", false, null, m.metadata(),
                    ClassNames.ofModel(m.metadata(), m.path().getParent()));
            folder = DataSources.open(PNG, m.inputSpecs(), options);
            idx = DataSources.open(IDX, m.inputSpecs(), options);
        }
        EvaluationOptions o = EvaluationOptions.defaults().withLatency(0, 0).withThreads(1);
        EvaluationReport fromFolder = Evaluator.evaluate(EvaluatorTest.VIT, null, folder, o);
        EvaluationReport fromIdx = Evaluator.evaluate(EvaluatorTest.VIT, null, idx,
                positions.stream().mapToInt(Integer::intValue).sorted().toArray(), o, null);
        assertEquals(fromIdx.model().correct(), fromFolder.model().correct(), "same images, same labels");
        assertTrue(fromFolder.model().accuracy() > 0.8, "the model scores " + fromFolder.model().accuracy());
    }
}
