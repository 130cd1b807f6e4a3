package dev.rba.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images in class folders, {@code root/<class>/*.png|jpg|jpeg}: a folder's label is the class it names, matched to the
 * model's class names or read as a class number ({@link ClassFolderLabels}); folders that give no label leave the data
 * unlabelled, with a warning. Images placed directly in root (with no class folders) are read as one unlabelled set.
 */
final class ImageFolderData extends ImageBackedData {
    private final Path root;
    private final List<Path> files;
    private final String labelSource;

    private ImageFolderData(Path root, List<Path> files, int[] labels, List<String> classNames,
                            String labelSource, ImagePreprocessing prep, DataOptions opt, List<String> warnings) {
        super(labels, classNames, prep, opt.skipBadImages(), warnings);
        this.root = root;
        this.files = files;
        this.labelSource = labelSource;
    }

    static ImageFolderData open(Path root, List<ModelInputSpec> inputs, DataOptions opt) throws IOException {
        List<String> warnings = new ArrayList<>();
        List<Path> classDirs = list(root, Files::isDirectory);
        List<Path> files = new ArrayList<>();
        List<Integer> folderOf = new ArrayList<>();
        List<String> folderNames = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = list(dir, ImageFolderData::isImageFile);
            if (images.isEmpty()) warnings.add(dir + ": class folder has no .png/.jpg/.jpeg images");
            for (Path f : images) {
                files.add(f);
                folderOf.add(folderNames.size());
            }
            folderNames.add(dir.getFileName().toString());
        }
        ClassFolderLabels match = null;
        if (files.isEmpty()) {
            files.addAll(list(root, ImageFolderData::isImageFile));
        } else {
            match = ClassFolderLabels.match(root.toString(), folderNames, opt.effectiveClassNames());
            if (match.note() != null) warnings.add(match.note());
        }
        if (match != null && !list(root, ImageFolderData::isImageFile).isEmpty()) {
            warnings.add(root + ": images directly in the root folder are ignored; only class folders are read");
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(root + ": no .png/.jpg/.jpeg images in the folder or its class "
                    + "folders: give root/<class>/*.png, an IDX file or an .npz");
        }
        ModelInputSpec input = imageInput(inputs, root.toString());
        ImagePreprocessing prep = ImagePreprocessing.resolve(input, opt.modelMetadata(), opt.image(), warnings);
        int[] l = null;
        if (match != null && match.labels() != null) {
            l = new int[files.size()];
            for (int i = 0; i < l.length; i++) l[i] = match.labels()[folderOf.get(i)];
        }
        List<String> names = l == null ? List.of() : match.names();
        return new ImageFolderData(root, List.copyOf(files), l, names, l == null ? null : match.how(), prep, opt, warnings);
    }

    private interface PathTest {
        boolean test(Path p) throws IOException;
    }

    /** Entries of dir that pass the test, hidden ones left out, sorted by name so that labels are stable. */
    private static List<Path> list(Path dir, PathTest test) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (!p.getFileName().toString().startsWith(".") && test.test(p)) out.add(p);
            }
        }
        return out;
    }

    static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    @Override
    RasterImage load(int sample) {
        return ImageDecoding.decode(files.get(sample));
    }

    @Override
    String sampleName(int sample) {
        return files.get(sample).toString();
    }

    /** The image file of sample i. */
    public Path file(int sample) {
        return files.get(sample);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public String description() {
        return "image folder " + root + ": " + size() + " images"
                + (hasLabels() ? ", " + classNames().size() + " classes (" + labelSource + ")" : ", no labels") + "; "
                + preprocessing();
    }
}
