package dev.rba.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Paths to the committed fixture data and the Fashion-MNIST model contract used across the data tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** The repository's fixtures/data folder, found from the working directory (module or repository root). */
    static Path data() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("fixtures/data");
            if (Files.isDirectory(d.resolve("fashion-mnist"))) return d;
        }
        throw new IllegalStateException("fixtures/data not found above " + Path.of("").toAbsolutePath());
    }

    static Path resource(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path r = p.resolve("core/src/test/resources").resolve(name);
            if (Files.exists(r)) return r;
            r = p.resolve("src/test/resources").resolve(name);
            if (Files.exists(r)) return r;
        }
        throw new IllegalStateException("test resource " + name + " not found");
    }

    /** The metadata the fixture models carry (tools/fixtures: train-set mean/std rounded to 4 decimals, class names). */
    static final Map<String, String> FMNIST_META = Map.of("rba.input.mean", "0.2860", "rba.input.std", "0.3530",
            "rba.labels", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot");

    static final ModelInputSpec FMNIST_INPUT = new ModelInputSpec("pixel_values", "float32", new long[] {-1, 1, 28, 28});

    static List<ModelInputSpec> fmnistInputs() {
        return List.of(FMNIST_INPUT);
    }

    static DataOptions fmnistOptions(String split) {
        return new DataOptions(split, false, ImageOptions.defaults(), FMNIST_META);
    }
}
