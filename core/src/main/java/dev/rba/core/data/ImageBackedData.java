package dev.rba.core.data;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Common batching for sources that yield one image per sample (class folders, IDX files): images are decoded and
 * preprocessed per batch, so only one batch is ever in memory.
 */
abstract class ImageBackedData extends LabelledData {
    private final ImagePreprocessing prep;
    private final boolean skipBadImages;
    private final List<String> warnings;
    private int skipped;
    private String firstSkipped;

    ImageBackedData(int[] labels, List<String> classNames, ImagePreprocessing prep, boolean skipBadImages,
                    List<String> warnings) {
        super(labels, classNames);
        this.prep = prep;
        this.skipBadImages = skipBadImages;
        this.warnings = new ArrayList<>(warnings);
    }

    /** Decodes sample i; throws {@link BadImageException} when it cannot. */
    abstract RasterImage load(int sample);

    /** The file (or file and index) of sample i, for messages. */
    abstract String sampleName(int sample);

    public ImagePreprocessing preprocessing() {
        return prep;
    }

    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        if (skipped > 0) {
            all.add("skipped " + skipped + " image(s) that failed to decode (first: " + firstSkipped + ")");
        }
        return all;
    }

    @Override
    public int skippedSamples() {
        return skipped;
    }

    @Override
    public Iterable<DataBatch> batches(int batchSize, int[] sampleIndices) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        for (int i : sampleIndices) {
            if (i < 0 || i >= size()) {
                throw new IllegalArgumentException("sample index " + i + " is outside 0.." + (size() - 1));
            }
        }
        int[] order = sampleIndices.clone();
        return () -> new Iterator<>() {
            private int next;
            private DataBatch ready;

            @Override
            public boolean hasNext() {
                if (ready == null) ready = assemble();
                return ready != null;
            }

            @Override
            public DataBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                DataBatch b = ready;
                ready = null;
                return b;
            }

            private DataBatch assemble() {
                List<ImagePreprocessing.Sample> samples = new ArrayList<>(batchSize);
                int[] taken = new int[batchSize];
                while (samples.size() < batchSize && next < order.length) {
                    int i = order[next++];
                    ImagePreprocessing.Sample s = prepare(i);
                    if (s == null) continue;
                    taken[samples.size()] = i;
                    samples.add(s);
                }
                return samples.isEmpty() ? null : toBatch(samples, Arrays.copyOf(taken, samples.size()));
            }
        };
    }

    private ImagePreprocessing.Sample prepare(int i) {
        RasterImage img;
        try {
            img = load(i);
        } catch (BadImageException e) {
            if (!skipBadImages) throw e;
            if (skipped++ == 0) firstSkipped = sampleName(i);
            return null;
        }
        return prep.prepare(img, sampleName(i));
    }

    private DataBatch toBatch(List<ImagePreprocessing.Sample> samples, int[] indices) {
        ImagePreprocessing.Sample first = samples.get(0);
        int h = first.height();
        int w = first.width();
        for (int k = 1; k < samples.size(); k++) {
            ImagePreprocessing.Sample s = samples.get(k);
            if (s.height() != h || s.width() != w) {
                throw new InvalidInputException("images " + sampleName(indices[0]) + " (" + w + "x" + h + ") and "
                        + sampleName(indices[k]) + " (" + s.width() + "x" + s.height() + ") differ in size and the "
                        + "model's height/width are dynamic: pass a crop size (or a resize and crop)");
            }
        }
        long[] shape = prep.batchShape(samples.size(), h, w);
        ElementType type = prep.input().type();
        long bytes = NdArray.elementCount(shape) * type.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidInputException("a batch of " + samples.size() + " images is " + bytes + " bytes, more "
                    + "than one buffer holds: use a smaller batch size");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        for (int k = 0; k < samples.size(); k++) prep.write(samples.get(k), seg, k);
        String name = prep.input().name();
        return new DataBatch(Map.of(name, new Tensor(name, type, shape, buf)), labels(indices), indices);
    }

    /** The single model input that image data can feed, or a clear error. */
    static ModelInputSpec imageInput(List<ModelInputSpec> inputs, String source) {
        if (inputs.size() != 1) {
            List<String> names = inputs.stream().map(ModelInputSpec::name).toList();
            throw new InvalidInputException(source + " holds images, but the model has " + inputs.size()
                    + " inputs " + names + ": give an .npz with one array per input, named after it");
        }
        return inputs.get(0);
    }
}
