package dev.rba.core.data;

import java.io.IOException;
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
 * samples on axis 0, plus an optional integer {@code labels} array. Opening reads the headers only and checks names,
 * shapes and dtypes; the arrays stay on disk ({@link NpyRows}) and each batch reads just its samples' rows, so memory
 * grows with the batch, not with the file. The values of a row are checked as it is read (NaN/Inf, integers that do
 * not fit the input's type): a bad value in a sample no command uses does not stop a run, and checking costs no extra
 * pass over a file that may hold far more samples than are used. Only the labels are read whole (one integer each).
 */
final class NpzData extends LabelledData {
    static final String LABELS = "labels";

    private final Path file;
    private final List<ModelInputSpec> inputs;
    private final Map<String, NpyRows> arrays; // by model input name
    private final List<String> warnings;
    private final int n;

    private NpzData(Path file, List<ModelInputSpec> inputs, Map<String, NpyRows> arrays, int[] labels,
                    List<String> warnings) {
        super(labels, numberedClasses(labels));
        this.file = file;
        this.inputs = List.copyOf(inputs);
        this.arrays = arrays;
        this.warnings = List.copyOf(warnings);
        this.n = (int) arrays.get(inputs.get(0).name()).layout().dim(0);
    }

    static NpzData openNpz(Path file, List<ModelInputSpec> inputs) throws IOException {
        return check(file, inputs, Npz.open(file));
    }

    /** A single .npy feeds a model with exactly one input. */
    static NpzData openNpy(Path file, List<ModelInputSpec> inputs) throws IOException {
        if (inputs.size() != 1) {
            throw new InvalidInputException(file + ": one .npy array cannot feed a model with " + inputs.size()
                    + " inputs: give an .npz with one array per input, named after it");
        }
        Map<String, NpyRows> m = new LinkedHashMap<>();
        m.put(inputs.get(0).name(), NpyRows.ofFile(file));
        return check(file, inputs, m);
    }

    private static NpzData check(Path file, List<ModelInputSpec> inputs, Map<String, NpyRows> all) throws IOException {
        if (inputs.isEmpty()) throw new IllegalArgumentException("the model has no inputs to feed");
        Map<String, NpyRows> used = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        long samples = -1;
        for (ModelInputSpec in : inputs) {
            NpyRows rows = all.get(in.name());
            if (rows == null) {
                throw new InvalidInputException(file + " has no array for model input '" + in.name()
                        + "'; arrays present: " + all.keySet() + ": name each array after a model input");
            }
            NpyLayout a = rows.layout();
            checkShape(file, in, a);
            String converted = checkType(file, in, a.type());
            if (converted != null) notes.add(converted);
            if (samples >= 0 && a.dim(0) != samples) {
                throw new InvalidInputException(file + ": array '" + in.name() + "' has " + a.dim(0) + " samples, "
                        + "the others " + samples + ": every array needs the same number of samples on axis 0");
            }
            samples = a.dim(0);
            if (samples > Integer.MAX_VALUE) throw new InvalidInputException(file + ": too many samples");
            used.put(in.name(), rows);
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

    private static void checkShape(Path file, ModelInputSpec in, NpyLayout a) {
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
     * Whether each integer fits a narrower integer input is checked on the rows read ({@link RowConversion}).
     */
    private static String checkType(Path file, ModelInputSpec in, ElementType from) {
        ElementType want = in.type();
        if (from == want) return null;
        if (!from.isFloating() && want.isFloating() && looksLikeImage(in)) {
            throw new InvalidInputException(file + ": array '" + in.name() + "' is " + from.typeName() + " but "
                    + "model input '" + in.name() + "' takes " + want.typeName() + " image values, and rba applies no "
                    + "scaling or normalisation to .npz data: save what the model expects, e.g. "
                    + "((x.astype('float32') / 255) - mean) / std, or give the images as a folder or IDX file");
        }
        if (from.isFloating() && !want.isFloating()) {
            throw new InvalidInputException(file + ": array '" + in.name() + "' is " + from.typeName()
                    + " but model input '" + in.name() + "' takes " + want.typeName() + ": save it as "
                    + want.typeName());
        }
        return file + ": array '" + in.name() + "' (" + from.typeName() + ") converted to " + want.typeName()
                + " for model input '" + in.name() + "', values as they are (no scaling)";
    }

    /** A floating input of rank 4, or one named like pixels or images: what integer pixels would be fed into. */
    private static boolean looksLikeImage(ModelInputSpec in) {
        String n = in.name().toLowerCase(java.util.Locale.ROOT);
        return in.rank() == 4 || n.contains("pixel") || n.contains("image") || n.contains("img");
    }

    private static int[] labels(Path file, NpyRows rows, long samples) throws IOException {
        NpyLayout h = rows.layout();
        if (!h.type().isInteger() || h.rank() != 1 || h.dim(0) != samples) {
            throw new InvalidInputException(file + ": array 'labels' is " + h.type().typeName()
                    + Arrays.toString(h.shape()) + " but must be integers of shape [" + samples + "]: save one "
                    + "integer class index per sample, or leave 'labels' out");
        }
        NdArray a = rows.readAll();
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
        List<String> compressed = arrays.entrySet().stream().filter(e -> e.getValue().compressed())
                .map(Map.Entry::getKey).toList();
        return "npz " + file + ": " + n + " samples, arrays " + arrays.keySet()
                + (hasLabels() ? ", " + classNames().size() + " classes" : ", no labels")
                + (compressed.isEmpty() ? "" : "; " + compressed + " compressed: each pass inflates from the start "
                + "up to the last sample it uses (numpy.savez files are read by sample)");
    }

    @Override
    public Iterable<DataBatch> batches(int batchSize, int[] sampleIndices) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        for (int i : sampleIndices) {
            if (i < 0 || i >= n) throw new IllegalArgumentException("sample index " + i + " is outside 0.." + (n - 1));
        }
        int[] order = sampleIndices.clone();
        return () -> new Iterator<>() {
            private final Map<String, NpyRows.Cursor> cursors = new LinkedHashMap<>();
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
                try {
                    Map<String, Tensor> tensors = new LinkedHashMap<>();
                    for (ModelInputSpec in : inputs) {
                        NpyRows rows = arrays.get(in.name());
                        NpyRows.Cursor c = cursors.computeIfAbsent(in.name(), k -> rows.cursor());
                        tensors.put(in.name(), new RowConversion(file, in, rows).gather(c, idx));
                    }
                    closeCursors(hasNext());
                    return new DataBatch(tensors, labels(idx), idx);
                } catch (IOException e) {
                    InvalidInputException failure = new InvalidInputException(file + ": reading samples failed ("
                            + e.getMessage() + "): check that the file is still there and unchanged", e);
                    closeQuietly(failure);
                    throw failure;
                } catch (RuntimeException e) {
                    closeQuietly(e);
                    throw e;
                }
            }

            /**
             * Stored data is reopened for each batch, so no file stays open between batches; a compressed entry's
             * cursor is kept to the end of the pass, or inflating would start from the beginning for each batch.
             */
            private void closeCursors(boolean more) throws IOException {
                for (var it = cursors.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (more && arrays.get(e.getKey()).compressed()) continue;
                    e.getValue().close();
                    it.remove();
                }
            }

            private void closeQuietly(RuntimeException failure) {
                try {
                    closeCursors(false);
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        };
    }
}
