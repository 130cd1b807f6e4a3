package dev.rba.core.data;

import dev.rba.onnx.api.OutputFile;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** NumPy .npz files: a zip of .npy entries (stored by numpy.savez, deflated by numpy.savez_compressed). */
public final class Npz {
    private Npz() {
    }

    /** All arrays, by name without the ".npy" suffix, in the order of the zip entries. */
    public static Map<String, NdArray> read(Path file) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        eachArray(file, (zip, e, name, source) -> {
            try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 20)) {
                arrays.put(name, Npy.read(in, source));
            }
        });
        return arrays;
    }

    /**
     * The arrays left on disk, by name without the ".npy" suffix, in the order of the zip entries: only each entry's
     * .npy header is read here; {@link NpyRows} reads sample rows when they are needed.
     */
    static Map<String, NpyRows> open(Path file) throws IOException {
        Map<String, NpyRows> arrays = new LinkedHashMap<>();
        eachArray(file, (zip, e, name, source) -> {
            NpyLayout layout;
            try (InputStream in = zip.getInputStream(e)) {
                layout = Npy.readHeader(in, source);
            }
            String entry = e.getName();
            boolean deflated = e.getMethod() == ZipEntry.DEFLATED;
            arrays.put(name, new NpyRows(source, layout, () -> entryStream(file, entry), deflated, e.getSize()));
        });
        return arrays;
    }

    /** What to do with one .npy entry; source names it in messages ("file.npz:x.npy"). */
    private interface EntryAction {
        void accept(ZipFile zip, ZipEntry entry, String name, String source) throws IOException;
    }

    /** Calls action for each .npy entry, in zip order; other entries and folders are skipped. */
    private static void eachArray(Path file, EntryAction action) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) continue;
                String name = e.getName().substring(0, e.getName().length() - 4);
                action.accept(zip, e, name, file + ":" + e.getName());
            }
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a readable .npz (zip) file (" + e.getMessage()
                    + "): write it with numpy.savez or numpy.savez_compressed", e);
        }
    }

    /**
     * A stream over one entry that closes its own ZipFile. Each cursor opens the file anew (the JDK shares the parsed
     * central directory between ZipFiles open on one file), so no zip stays open between batches of stored data.
     */
    private static InputStream entryStream(Path file, String entry) throws IOException {
        ZipFile zip = new ZipFile(file.toFile());
        try {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new InvalidInputException(file + ": entry " + entry + " is gone: the file changed while rba "
                        + "read it; leave it alone during the run");
            }
            return new FilterInputStream(zip.getInputStream(e)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        } catch (IOException | RuntimeException ex) {
            zip.close();
            throw ex;
        }
    }

    /** Writes arrays as name.npy entries, deflated when compress is set, through a temporary file and a rename. */
    public static void write(Path file, Map<String, NdArray> arrays, boolean compress) throws IOException {
        try (OutputFile out = OutputFile.create(file, "output")) {
            try (OutputStream raw = out.stream(); ZipOutputStream zip = new ZipOutputStream(raw)) {
                zip.setMethod(compress ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
                for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                    ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                    if (!compress) storedSizes(entry, e.getValue());
                    zip.putNextEntry(entry);
                    Npy.write(zip, e.getValue());
                    zip.closeEntry();
                }
            }
            out.commit();
        }
    }

    /** A STORED entry must declare its size and CRC before its data. */
    private static void storedSizes(ZipEntry entry, NdArray a) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long[] size = {0};
        try (OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
                size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
                size[0] += len;
            }
        }) {
            Npy.write(counter, a);
        }
        entry.setSize(size[0]);
        entry.setCompressedSize(size[0]);
        entry.setCrc(crc.getValue());
    }
}
