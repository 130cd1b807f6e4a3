package dev.rba.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Opens calibration data in whatever format the path holds. */
public final class DataSources {
    private DataSources() {
    }

    /**
     * The files a data path stands for, for outputs that must not be written over them: the path itself (a folder
     * stands for every file in it) and, for an IDX images file, the labels file beside it.
     */
    public static List<Path> inputFiles(Path path) {
        Path labels = Files.isRegularFile(path) && IdxData.isImagesName(path.getFileName().toString())
                ? IdxData.labelsFileFor(path) : null;
        return labels == null ? List.of(path) : List.of(path, labels);
    }

    /**
     * Picks the format from the path: an .npz (or .npy) file; an IDX images file; a folder holding IDX files; a
     * folder of class folders of images (or of images). Images feed the model's single image input through
     * {@link ImagePreprocessing}; arrays feed the inputs they are named after.
     *
     * @param inputs the model's inputs (name, element type, shape with -1 for dynamic dimensions)
     * @throws InvalidInputException when the data cannot feed the model, with a one-line message naming the file
     */
    public static CalibrationData open(Path path, List<ModelInputSpec> inputs, DataOptions options) throws IOException {
        FixedBatch.limit(inputs);   // refuses a batch fixed above 1 before any work
        if (!Files.exists(path)) {
            throw new InvalidInputException("calibration data " + path + " does not exist: give an image folder, "
                    + "an IDX file or folder, or an .npz file");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidInputException("calibration data " + path + " is not readable: check its permissions");
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path)) {
            if (containsIdx(path)) return IdxData.open(path, inputs, options);
            return ImageFolderData.open(path, inputs, options);
        }
        if (name.endsWith(".npz")) return NpzData.openNpz(path, inputs);
        if (name.endsWith(".npy")) return NpzData.openNpy(path, inputs);
        if (name.contains("-ubyte") || name.contains(".idx")) return IdxData.open(path, inputs, options);
        throw new InvalidInputException("calibration data " + path + " is not a format rba reads: give a folder of "
                + "class folders of .png/.jpg images, an IDX *-images-idx3-ubyte[.gz] file or its folder, or an .npz");
    }

    private static boolean containsIdx(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> IdxData.isImagesName(p.getFileName().toString()));
        }
    }
}
