package dev.rba.cli;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.ChannelOrder;
import dev.rba.core.data.ClassNames;
import dev.rba.core.data.DataBatch;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.FixedBatch;
import dev.rba.core.data.ImageOptions;
import dev.rba.core.data.SampleSplit;
import dev.rba.core.data.TensorLayout;
import dev.rba.core.pipeline.BatchSizing;
import dev.rba.core.pipeline.LoadedModel;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Options that say where calibration data comes from and how to turn it into model inputs. Mixed in with
 * {@code @Mixin} by every command that runs the model over data (analyze, capture, approximate, evaluate). The
 * descriptions here are the calibration commands'; Help.properties words them for evaluate and capture.
 *
 * <p>Sample choice is a seeded random subset rather than the first N: image folders are sorted by class, so the
 * first 500 images would often be one class only.
 */
public final class DataMixin {
    /** {@code --split}: which files of an IDX folder that holds both sets (core's loader takes the lower-case name). */
    public enum IdxSplit {
        TRAIN, TEST
    }

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Calibration data: a folder of class folders of images (.png/.jpg), an IDX folder or *-images-idx3-ubyte[.gz] file (labels beside it are used), or an .npz/.npy of model inputs.")
    Path data;

    @Option(names = "--split", paramLabel = "train|test", converter = EnumValues.Split.class,
            description = "For an IDX folder holding both: use train-* or t10k-* files (default: the only ones there).")
    IdxSplit split;

    @Option(names = "--class-names", paramLabel = "FILE",
            description = "Image folders: the model's class names, one per line in its output order, matched to the class folder names (default: the names the model records, or config.json's id2label beside it).")
    Path classNames;

    @Option(names = "--mask-input", paramLabel = "NAME|none",
            description = "The model input whose zeros mark padded tokens, kept out of every statistic (default: the input whose values gate the attention scores, found from the graph).")
    String maskInput;

    @Option(names = "--samples", paramLabel = "N",
            description = "Number of calibration samples, drawn at random (seeded) from the data (default: see the command).")
    Integer samples;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Samples per ONNX Runtime run (default: as many as keep the captured tensors of a batch within 256 MiB, at most 32); larger needs more memory. A model whose inputs fix the batch at 1 runs one sample at a time.")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the random sample choice (default ${DEFAULT-VALUE}): the same seed picks the same samples.")
    long seed;

    @Option(names = "--skip-bad-images",
            description = "Leave out images that fail to decode (counted and reported) instead of stopping at the first.")
    boolean skipBadImages;

    @Option(names = "--resize", paramLabel = "N",
            description = "Images: resize so the shorter side is N pixels (bilinear) before the centre crop.")
    Integer resize;

    @Option(names = "--crop", paramLabel = "HxW", converter = OptionValues.Crop.class,
            description = "Images: centre-crop size, for models whose input height/width are dynamic (e.g. 224x224).")
    OptionValues.CropSize crop;

    @Option(names = "--scale", paramLabel = "F", converter = OptionValues.Scale.class,
            description = "Images: factor applied to 0..255 pixel values before mean/std (default 1/255 or the model's metadata).")
    Double scale;

    @Option(names = "--mean", split = ",", paramLabel = "a,b,c",
            description = "Images: per-channel mean after scaling (default: the model's rba.input.mean metadata).")
    double[] mean;

    @Option(names = "--std", split = ",", paramLabel = "a,b,c",
            description = "Images: per-channel standard deviation after scaling (default: the model's rba.input.std metadata).")
    double[] std;

    @Option(names = "--channel-order", paramLabel = "rgb|bgr", description = "Images: colour channel order the model expects (default rgb).")
    ChannelOrder channelOrder;

    @Option(names = "--layout", paramLabel = "nchw|nhwc", description = "Images: tensor layout (default: from the model's input shape).")
    TensorLayout layout;

    /**
     * The files the data options stand for, which outputs must be none of: the data path (a folder stands for all its
     * files, an IDX images file for its labels file too), the {@code --class-names} file, and the {@code config.json}
     * beside the model, whose {@code id2label} names classes where the model records none.
     */
    public List<Path> inputFiles(Path modelFolder) {
        List<Path> files = new java.util.ArrayList<>(DataSources.inputFiles(data));
        if (classNames != null) files.add(classNames);
        if (modelFolder != null) files.add(modelFolder.resolve("config.json"));
        return files;
    }

    /** The data path as given. */
    public Path path() {
        return data;
    }

    /**
     * --batch-size, or {@link BatchSizing#MAX_BATCH} for a command that captures no residual-stream tensor (and runs
     * models it opens itself: the evaluator runs 1 where a model fixes its batch at 1).
     */
    public int batchSize() {
        return batchSize(0, null);
    }

    /**
     * --batch-size, or the size that keeps the {@code capturedStreams} h_k of {@code model} that a pass captures
     * within {@link BatchSizing#CAPTURE_BUDGET}; 1 where the model fixes its batch at 1, whatever --batch-size says
     * ({@link #open} notes that): the batch size changes speed and memory, not results, so a request the model
     * cannot follow is not worth a refusal.
     */
    public int batchSize(int capturedStreams, LoadedModel model) {
        if (batchSize != null) {
            if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
            return model == null ? batchSize : BatchSizing.forModel(batchSize, model);
        }
        if (model == null || capturedStreams <= 0) return BatchSizing.MAX_BATCH;
        return BatchSizing.forCapture(capturedStreams, model);
    }

    public long seed() {
        return seed;
    }

    /** --samples, or {@code defaultCount} when it was not given. */
    public int samples(int defaultCount) {
        int n = samples == null ? defaultCount : samples;
        if (n <= 0) throw new IllegalArgumentException("--samples must be positive, got " + n);
        return n;
    }

    /** Whether the user gave --samples (a default may then be capped silently, a request may not). */
    public boolean samplesGiven() {
        return samples != null;
    }

    /**
     * Opens the data for {@code model}'s inputs, prints what was opened and the loader's warnings on {@code err}
     * (warnings even with --quiet: they change results), and returns it. The caller closes nothing: loaders hold no
     * open files between batches, except a compressed .npz array's inflater, which one pass over the batches keeps
     * until its last batch (the JDK's cleaner closes it if a pass is abandoned).
     */
    public CalibrationData open(LoadedModel model, PrintWriter err, boolean quiet) throws IOException {
        ClassNames names = classNames != null ? ClassNames.fromFile(classNames)
                : ClassNames.ofModel(model.metadata(), model.path().toAbsolutePath().getParent());
        String idxSplit = split == null ? null : split.name().toLowerCase(Locale.ROOT);
        DataOptions options = new DataOptions(idxSplit, skipBadImages, imageOptions(), model.metadata(), names);
        CalibrationData cd = DataSources.open(data, model.inputSpecs(), options);
        if (cd.size() == 0) {
            throw new IllegalArgumentException("data " + data + " holds no samples: give a folder or file with data in it");
        }
        if (maskInput != null) model.useMaskInput(maskInput);
        if (!quiet) err.println("rba: data: " + cd.description());
        if (!quiet && model.inputSpecs().size() > 1) err.println("rba: padding mask: " + model.maskNote());
        String oneAtATime = FixedBatch.note(model.inputSpecs(), batchSize == null ? 0 : batchSize);
        if (!quiet && oneAtATime != null) err.println("rba: note: " + oneAtATime);
        for (String w : cd.warnings()) err.println("rba: warning: " + w);
        err.flush();
        return cd;
    }

    /**
     * Indices of the samples to use: {@link #samples(int)} of them (all when the data holds fewer and --samples was
     * not given), a seeded random subset, sorted so that sequential loaders read in order.
     */
    public int[] sampleIndices(CalibrationData cd, int defaultCount) {
        int want = samples(defaultCount);
        if (want > cd.size()) {
            if (samplesGiven()) {
                throw new IllegalArgumentException("--samples " + want + " but the calibration data " + data + " holds only "
                        + cd.size() + " samples: ask for fewer or give more data");
            }
            want = cd.size();
        }
        return decodable(cd, SampleSplit.seeded(cd.size(), want, 0, seed).fit());
    }

    /** A seeded split into disjoint fit and check subsets (for commands that check on held-out data). */
    public SampleSplit split(CalibrationData cd, int fitCount, int checkCount) {
        SampleSplit s = SampleSplit.seeded(cd.size(), fitCount, checkCount, seed);
        return skipBadImages ? new SampleSplit(decodable(cd, s.fit()), decodable(cd, s.check())) : s;
    }

    /**
     * With --skip-bad-images, the chosen samples less those that do not decode. The model runners ask the data for
     * batches of a fixed size, which a loader that leaves images out cannot fill; so the chosen images are decoded
     * once up front and the pass then runs over the ones that decode. Costs a second decode, only with this option.
     */
    int[] decodable(CalibrationData cd, int[] chosen) {
        if (!skipBadImages || chosen.length == 0) return chosen;
        int[] kept = new int[chosen.length];
        int n = 0;
        for (DataBatch b : cd.batches(batchSize(), chosen)) {
            for (int i : b.sampleIndices()) kept[n++] = i;
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    ImageOptions imageOptions() {
        if (resize != null && resize <= 0) throw new IllegalArgumentException("--resize must be positive, got " + resize);
        return new ImageOptions(resize, crop == null ? null : crop.height(), crop == null ? null : crop.width(), scale, mean,
                std, channelOrder, layout);
    }
}
