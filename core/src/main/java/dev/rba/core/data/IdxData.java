package dev.rba.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * MNIST-format data: {@code *-images-idx3-ubyte[.gz]} (N x rows x cols grey images) with the matching
 * {@code *-labels-idx1-ubyte[.gz]} when present. Given a folder, picks the pair by prefix ("train" or "t10k";
 * the split option chooses when both are there).
 */
final class IdxData extends ImageBackedData {
    private final IdxFile images;
    private final int rows;
    private final int cols;

    private IdxData(IdxFile images, int[] labels, ImagePreprocessing prep, DataOptions opt, List<String> warnings) {
        super(labels, numberedClasses(labels), prep, opt.skipBadImages(), warnings);
        this.images = images;
        this.rows = images.dims()[1];
        this.cols = images.dims()[2];
    }

    /** Opens an images file, or a folder holding images (and labels) files. */
    static IdxData open(Path path, List<ModelInputSpec> inputs, DataOptions opt) throws IOException {
        Path imagesFile = Files.isDirectory(path) ? pickImagesFile(path, opt.split()) : path;
        IdxFile images = IdxFile.read(imagesFile);
        if (images.dims().length != 3) {
            throw new InvalidInputException(imagesFile + ": IDX images file has " + images.dims().length
                    + " dimensions, expected 3 (count, rows, cols): give an idx3-ubyte images file");
        }
        List<String> warnings = new ArrayList<>();
        Path labelsFile = labelsFileFor(imagesFile);
        int[] labels = null;
        if (labelsFile == null) {
            warnings.add(imagesFile + ": no matching *-labels-idx1-ubyte[.gz] file, so the data has no labels");
        } else {
            IdxFile l = IdxFile.read(labelsFile);
            if (l.dims().length != 1 || l.dims()[0] != images.dims()[0]) {
                throw new InvalidInputException(labelsFile + ": IDX labels have shape "
                        + java.util.Arrays.toString(l.dims()) + " but " + imagesFile + " holds " + images.dims()[0]
                        + " images: give the labels file that belongs to the images");
            }
            labels = new int[l.data().length];
            for (int i = 0; i < labels.length; i++) labels[i] = l.data()[i] & 0xff; // IDX labels are unsigned bytes
        }
        ModelInputSpec input = imageInput(inputs, imagesFile.toString());
        ImagePreprocessing prep = ImagePreprocessing.resolve(input, opt.modelMetadata(), opt.image(), warnings);
        return new IdxData(images, labels, prep, opt, warnings);
    }

    private static Path pickImagesFile(Path dir, String split) throws IOException {
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> isImagesName(p.getFileName().toString())).sorted().toList();
        }
        if (found.isEmpty()) {
            throw new InvalidInputException(dir + ": no *-images-idx3-ubyte[.gz] file in the folder: give the IDX "
                    + "images file or a folder that holds one");
        }
        if (split != null) {
            String prefix = switch (split.toLowerCase(Locale.ROOT)) {
                case "train" -> "train";
                case "test", "t10k" -> "t10k";
                default -> throw new InvalidInputException("split '" + split + "' is neither train nor test");
            };
            for (Path p : found) {
                if (p.getFileName().toString().startsWith(prefix + "-")) return p;
            }
            throw new InvalidInputException(dir + ": no " + prefix + "-images-idx3-ubyte[.gz] for split '" + split
                    + "' (found " + names(found) + ")");
        }
        if (found.size() > 1) {
            throw new InvalidInputException(dir + " holds several IDX image files " + names(found)
                    + ": pick one with --split train|test or give the file itself");
        }
        return found.get(0);
    }

    static boolean isImagesName(String name) {
        return name.endsWith("images-idx3-ubyte") || name.endsWith("images-idx3-ubyte.gz");
    }

    /** The labels file beside an images file (same prefix, images-idx3 → labels-idx1, .gz or not), or null. */
    static Path labelsFileFor(Path imagesFile) {
        String name = imagesFile.getFileName().toString();
        int at = name.lastIndexOf("images-idx3-ubyte");
        if (at < 0) return null;
        String base = name.substring(0, at) + "labels-idx1-ubyte";
        for (String candidate : List.of(base + ".gz", base)) {
            Path p = imagesFile.resolveSibling(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Override
    RasterImage load(int sample) {
        return RasterImage.gray(cols, rows, images.data(), sample * rows * cols);
    }

    @Override
    String sampleName(int sample) {
        return images.path() + " image " + sample;
    }

    @Override
    public int size() {
        return images.dims()[0];
    }

    @Override
    public String description() {
        return "IDX " + images.path() + ": " + size() + " images " + rows + "x" + cols
                + (hasLabels() ? ", " + classNames().size() + " classes" : ", no labels") + "; " + preprocessing();
    }
}
