package dev.rba.core.data;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Arrays from an .npz (or one .npy for a one-input model): one array per model input, named after it, with the
 * samples on axis 0, plus an optional integer {@code labels} array. The arrays are checked once when opened (names,
 * shapes, dtypes, NaN/Inf) and held in memory; batches convert them to the model's element types.
 */
final class NpzData extends LabelledData {
    static final String LABELS = "labels";

    private final Path file;
    private final List<ModelInputSpec> inputs;
    private final Map<String, NdArray> arrays; // by model input name
    private final List<String> warnings;
    private final int n;

    private NpzData(Path file, List<ModelInputSpec> inputs, Map<String, NdArray> arrays, int[] labels,
                    List<String> warnings) {
        super(labels, numberedClasses(labels));
        this.file = file;
        this.inputs = List.copyOf(inputs);
        this.arrays = arrays;
        this.warnings = List.copyOf(warnings);
        this.n = (int) arrays.get(inputs.get(0).name()).dim(0);
    }

    static NpzData openNpz(Path file, List<ModelInputSpec> inputs) throws IOException {
        return check(file, inputs, Npz.read(file));
    }

    /** A single .npy feeds a model with exactly one input. */
    static NpzData openNpy(Path file, List<ModelInputSpec> inputs) throws IOException {
        if (inputs.size() != 1) {
            throw new InvalidInputException(file + ": one .npy array cannot feed a model with " + inputs.size()
                    + " inputs: give an .npz with one array per input, named after it");
        }
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put(inputs.get(0).name(), Npy.read(file));
        return check(file, inputs, m);
    }

    private static NpzData check(Path file, List<ModelInputSpec> inputs, Map<String, NdArray> all) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("the model has no inputs to feed");
        Map<String, NdArray> used = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        long samples = -1;
        for (ModelInputSpec in : inputs) {
            NdArray a = all.get(in.name());
            if (a == null) {
                throw new InvalidInputException(file + " has no array for model input '" + in.name()
                        + "'; arrays present: " + all.keySet() + ": name each array after a model input");
            }
            checkShape(file, in, a);
            String converted = checkType(file, in, a);
            if (converted != null) notes.add(converted);
            if (samples >= 0 && a.dim(0) != samples) {
                throw new InvalidInputException(file + ": array '" + in.name() + "' has " + a.dim(0) + " samples, "
                        + "the others " + samples + ": every array needs the same number of samples on axis 0");
            }
            samples = a.dim(0);
            if (samples > Integer.MAX_VALUE) throw new InvalidInputException(file + ": too many samples");
            if (a.type().isFloating()) checkFinite(file, in.name(), a);
            used.put(in.name(), a);
        }
        List<String> warnings = new ArrayList<>();
        int[] labels = null;
        if (all.containsKey(LABELS) && !used.containsKey(LABELS)) {
            labels = labels(file, all.get(LABELS), samples);
        }
        List<String> ignored = all.keySet().stream().filter(k -> !used.containsKey(k) && !k.equals(LABELS)).toList();
        if (!ignored.isEmpty()) warnings.add(file + ": arrays " + ignored + " match no model input and are ignored");
        warnings.addAll(notes);
        return new NpzData(file, inputs, used, labels, warnings);
    }

    private static void checkShape(Path file, ModelInputSpec in, NdArray a) {
        long[] want = in.shape();
        boolean ok = a.rank() == want.length && a.rank() > 0;
        for (int i = 1; ok && i < want.length; i++) ok = want[i] < 0 || want[i] == a.dim(i);
        if (!ok) {
            throw new InvalidInputException(file + ": array '" + in.name() + "' has shape "
                    + Arrays.toString(a.shape()).replace(" ", "") + " but model input '" + in.name() + "' expects "
                    + in.shapeText() + " (samples on axis 0): save the array in the model's input shape");
        }
    }

    /**
     * Refuses arrays whose conversion to the input's type would change their meaning; returns a note saying what was
     * converted, or null when the types are equal. Integers into an image input are refused: no scaling happens to
     * .npz data, so 0..255 pixels would be scored as pixel values 0..255 instead of the model's normalised range.
     */
    private static String checkType(Path file, ModelInputSpec in, NdArray a) {
        ElementType want = in.type();
        if (a.type() == want) return null;
        if (!a.type().isFloating() && want.isFloating() && looksLikeImage(in)) {
            throw new InvalidInputException(file + ": array '" + in.name() + "' is " + a.type().typeName() + " but "
                    + "model input '" + in.name() + "' takes " + want.typeName() + " image values, and rba applies no "
                    + "scaling or normalisation to .npz data: save what the model expects, e.g. "
                    + "((x.astype('float32') / 255) - mean) / std, or give the images as a folder or IDX file");
        }
        if (a.type().isFloating() && !want.isFloating()) {
            throw new InvalidInputException(file + ": array '" + in.name() + "' is " + a.type().typeName()
                    + " but model input '" + in.name() + "' takes " + want.typeName() + ": save it as "
                    + want.typeName());
        }
        if (!a.type().isFloating() && !want.isFloating() && want != ElementType.INT64) {
            // Integer to a narrower integer type: every value must fit.
            for (long i = 0, e = a.elementCount(); i < e; i++) {
                long v = a.getLong(i);
                if (!Elements.fits(want, v) || (a.type() == ElementType.UINT64 && v < 0)) {
                    throw new InvalidInputException(file + ": array '" + in.name() + "' holds " + v + " at "
                            + a.indexOf(i) + ", which does not fit model input '" + in.name() + "' ("
                            + want.typeName() + "): fix the data");
                }
            }
        }
        return file + ": array '" + in.name() + "' (" + a.type().typeName() + ") converted to " + want.typeName()
                + " for model input '" + in.name() + "', values as they are (no scaling)";
    }

    /** A floating input of rank 4, or one named like pixels or images: what integer pixels would be fed into. */
    private static boolean looksLikeImage(ModelInputSpec in) {
        String n = in.name().toLowerCase(java.util.Locale.ROOT);
        return in.rank() == 4 || n.contains("pixel") || n.contains("image") || n.contains("img");
    }

    private static void checkFinite(Path file, String name, NdArray a) {
        for (long i = 0, e = a.elementCount(); i < e; i++) {
            double v = a.getDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new InvalidInputException(file + ": array '" + name + "' holds " + v + " at index "
                        + a.indexOf(i) + " (flat " + i + "): calibration data must be finite, fix or drop that sample");
            }
        }
    }

    private static int[] labels(Path file, NdArray a, long samples) {
        if (!a.type().isInteger() || a.rank() != 1 || a.dim(0) != samples) {
            throw new InvalidInputException(file + ": array 'labels' is " + a.type().typeName()
                    + Arrays.toString(a.shape()) + " but must be integers of shape [" + samples + "]: save one "
                    + "integer class index per sample, or leave 'labels' out");
        }
        int[] l = new int[(int) samples];
        for (int i = 0; i < l.length; i++) {
            long v = a.getLong(i);
            if (v < 0 || v > Integer.MAX_VALUE || (a.type() == ElementType.UINT64 && v < 0)) {
                throw new InvalidInputException(file + ": labels[" + i + "] = " + v + " is not a class index (0 or "
                        + "more): fix the labels");
            }
            l[i] = (int) v;
        }
        return l;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String description() {
        return "npz " + file + ": " + n + " samples, arrays " + arrays.keySet()
                + (hasLabels() ? ", " + classNames().size() + " classes" : ", no labels");
    }

    @Override
    public Iterable<DataBatch> batches(int batchSize, int[] sampleIndices) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        for (int i : sampleIndices) {
            if (i < 0 || i >= n) throw new IllegalArgumentException("sample index " + i + " is outside 0.." + (n - 1));
        }
        int[] order = sampleIndices.clone();
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public DataBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] idx = Arrays.copyOfRange(order, next, Math.min(order.length, next + batchSize));
                next += idx.length;
                return batch(idx);
            }
        };
    }

    private DataBatch batch(int[] idx) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ModelInputSpec in : inputs) tensors.put(in.name(), gather(in, arrays.get(in.name()), idx));
        return new DataBatch(tensors, labels(idx), idx);
    }

    /** Copies the chosen samples into a direct buffer in the model's element type (a plain copy when they agree). */
    private static Tensor gather(ModelInputSpec in, NdArray a, int[] idx) {
        ElementType to = in.type();
        long[] shape = a.shape();
        long perSample = a.elementCount() / Math.max(1, a.dim(0));
        shape[0] = idx.length;
        long bytes = perSample * idx.length * to.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidInputException("a batch of " + idx.length + " samples of '" + in.name() + "' is " + bytes
                    + " bytes, more than one buffer holds: use a smaller batch size");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment dst = MemorySegment.ofBuffer(buf);
        ElementType from = a.type();
        for (int k = 0; k < idx.length; k++) {
            long src0 = idx[k] * perSample;
            long dst0 = k * perSample;
            if (from == to) {
                MemorySegment.copy(a.data(), src0 * from.byteSize(), dst, dst0 * to.byteSize(), perSample * to.byteSize());
            } else if (from.isFloating()) {
                for (long i = 0; i < perSample; i++) Elements.putDouble(dst, to, dst0 + i, a.getDouble(src0 + i));
            } else {
                for (long i = 0; i < perSample; i++) Elements.putLong(dst, to, dst0 + i, a.getLong(src0 + i));
            }
        }
        return new Tensor(in.name(), to, shape, buf);
    }
}
