package dev.rba.core.stats;

import dev.rba.onnx.api.OutputFile;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary file of {@link StreamStatistics}, version 2. Everything is little-endian; a string is an int32 byte
 * count followed by UTF-8 bytes.
 *
 * <pre>
 * bytes  8   magic "RBASTATS"
 * int32      version (2; version 1 held unshifted sums and no fingerprints, and is refused)
 * string     model fingerprint (SHA-256 hex of the model file and its external data; "" when unknown)
 * string     data fingerprint (SHA-256 hex of the samples' input tensors and indices; "" when unknown)
 * string     token selection (CLS | ALL | MEAN)
 * string     summary token   (CLS | MEAN)
 * int8       layout: 1 = one joint Gram of all streams, 0 = one Gram per pair
 * int64      n: rows the Grams were taken over
 * int64      samples
 * int32      stream count S, then S times: string name, int32 width
 * int32      pair count P, then P times: int32 a, int32 b
 * P times    float64 row-cosine sum, row squared-difference sum, summary cosine sum, summary squared-difference sum
 * per Gram group (joint: one of all streams in order; else one per pair, smaller index first), C = sum of widths:
 *            float64[C] shift c, float64[C] column sums of x - c, float64[C*C] Gram of x - c, row-major
 * bytes  8   end marker "RBASEND!"
 * </pre>
 *
 * Written to a temporary file in the same folder and renamed over the target, so a reader never sees half a file.
 */
final class StatisticsFile {

    static final int VERSION = 2;
    private static final byte[] MAGIC = "RBASTATS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "RBASEND!".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 1 << 20;
    /** Bounds on header counts so that a foreign file cannot make us allocate absurd arrays. */
    private static final int MAX_STREAMS = 1 << 16;
    private static final int MAX_STRING = 1 << 16;

    private StatisticsFile() {
    }

    static void write(StreamStatistics stats, Path path) throws IOException {
        try (OutputFile file = OutputFile.create(path, "statistics file")) {
            {
                FileChannel ch = file.channel();
                Writer w = new Writer(ch);
                StatisticsPlan plan = stats.plan;
                if (!plan.grams()) {
                    throw new IllegalArgumentException("statistics without Grams (similarity rows only) cannot be "
                            + "saved: fits need the all-token Grams");
                }
                w.bytes(MAGIC);
                w.int32(VERSION);
                w.string(stats.fingerprint.model());
                w.string(stats.fingerprint.data());
                w.string(plan.selection().name());
                w.string(plan.summaryToken().name());
                w.int8(plan.joint() ? 1 : 0);
                w.int64(stats.rows);
                w.int64(stats.samples);
                w.int32(plan.streamCount());
                for (int s = 0; s < plan.streamCount(); s++) {
                    w.string(plan.names().get(s));
                    w.int32(plan.width(s));
                }
                w.int32(plan.pairs().size());
                for (StreamPair p : plan.pairs()) {
                    w.int32(p.a());
                    w.int32(p.b());
                }
                for (int p = 0; p < plan.pairs().size(); p++) {
                    w.float64(stats.rowCosineSum[p]);
                    w.float64(stats.rowSquaredDiffSum[p]);
                    w.float64(stats.summaryCosineSum[p]);
                    w.float64(stats.summarySquaredDiffSum[p]);
                }
                for (int g = 0; g < stats.grams.length; g++) {
                    w.doubles(stats.shifts[g]);
                    w.doubles(stats.columnSums[g]);
                    w.doubles(stats.grams[g]);
                }
                w.bytes(END);
                w.flush();
            }
            file.commit();
        }
    }

    static StreamStatistics read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Reader r = new Reader(ch, path);
            if (!Arrays.equals(r.bytes(MAGIC.length), MAGIC)) {
                throw new IOException(path + " is not an rba statistics file (bad magic): pass a file written by "
                        + "rba's statistics save");
            }
            int version = r.int32();
            if (version != VERSION) {
                throw new IOException(path + " is rba statistics version " + version + ", this build reads version "
                        + VERSION + ": recompute the statistics");
            }
            StatisticsFingerprint fingerprint = new StatisticsFingerprint(r.string(), r.string());
            TokenSelection selection = parseEnum(r.string(), path);
            TokenSelection summary = parseEnum(r.string(), path);
            boolean joint = r.int8() != 0;
            long rows = r.int64();
            long samples = r.int64();
            int streams = r.count(MAX_STREAMS, "stream count");
            List<String> names = new ArrayList<>();
            int[] widths = new int[streams];
            for (int s = 0; s < streams; s++) {
                names.add(r.string());
                widths[s] = r.count(1 << 20, "stream width");
            }
            int pairCount = r.count(MAX_STREAMS * 64, "pair count");
            int[] pairIndices = new int[2 * pairCount];
            for (int i = 0; i < pairIndices.length; i++) pairIndices[i] = r.int32();
            StatisticsPlan plan;
            try {
                List<StreamPair> pairs = new ArrayList<>();
                for (int p = 0; p < pairCount; p++) pairs.add(new StreamPair(pairIndices[2 * p], pairIndices[2 * p + 1]));
                plan = new StatisticsPlan(names, widths, selection, summary, pairs, joint);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " holds an inconsistent statistics header: " + e.getMessage(), e);
            }
            double[][] sums = new double[4][pairCount];
            for (int p = 0; p < pairCount; p++) {
                for (int k = 0; k < 4; k++) sums[k][p] = r.float64();
            }
            List<int[]> groups = plan.gramGroups();
            double[][] shifts = new double[groups.size()][];
            double[][] colSums = new double[groups.size()][];
            double[][] grams = new double[groups.size()][];
            for (int g = 0; g < groups.size(); g++) {
                int cols = 0;
                for (int s : groups.get(g)) cols += widths[s];
                shifts[g] = r.doubles(cols);
                colSums[g] = r.doubles(cols);
                grams[g] = r.doubles((long) cols * cols);
            }
            if (!Arrays.equals(r.bytes(END.length), END)) {
                throw new IOException(path + " is damaged (no end marker after the Grams): recompute the statistics");
            }
            if (r.remaining() != 0) {
                throw new IOException(path + " has " + r.remaining() + " unexpected trailing bytes: recompute the "
                        + "statistics");
            }
            // a saved plan keeps Grams (so no per-stream squares) and never sample-space CKA sums
            return new StreamStatistics(plan, rows, samples, shifts, grams, colSums, sums[0], sums[1], sums[2], sums[3],
                    fingerprint, null, null);
        }
    }

    private static TokenSelection parseEnum(String text, Path path) throws IOException {
        try {
            return TokenSelection.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + " names an unknown token selection '" + text + "': recompute the statistics");
        }
    }

    /** Buffered little-endian writes to a channel. */
    private static final class Writer {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) flush();
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }

        void bytes(byte[] b) throws IOException {
            room(b.length);
            buf.put(b);
        }

        void int8(int v) throws IOException {
            room(1);
            buf.put((byte) v);
        }

        void int32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void int64(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void float64(double v) throws IOException {
            room(8);
            buf.putDouble(v);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int32(b.length);
            bytes(b);
        }

        void doubles(double[] values) throws IOException {
            for (double v : values) float64(v);
        }
    }

    /** Buffered little-endian reads that turn a short file into a one-line "truncated" error. */
    private static final class Reader {
        private final FileChannel ch;
        private final Path path;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);

        Reader(FileChannel ch, Path path) {
            this.ch = ch;
            this.path = path;
            buf.limit(0);
        }

        /** The buffer, holding at least {@code n} bytes to read. */
        private ByteBuffer need(int n) throws IOException {
            if (buf.remaining() >= n) return buf;
            buf.compact();
            while (buf.position() < n) {
                if (ch.read(buf) < 0) {
                    throw new EOFException(path + " is truncated (ends inside the statistics): recompute or copy it "
                            + "again");
                }
            }
            return buf.flip();
        }

        long remaining() throws IOException {
            return buf.remaining() + (ch.size() - ch.position());
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            need(n).get(b);
            return b;
        }

        int int8() throws IOException {
            return need(1).get();
        }

        int int32() throws IOException {
            return need(4).getInt();
        }

        long int64() throws IOException {
            return need(8).getLong();
        }

        double float64() throws IOException {
            return need(8).getDouble();
        }

        int count(int max, String what) throws IOException {
            int v = int32();
            if (v < 0 || v > max) {
                throw new IOException(path + " has an implausible " + what + " " + v + ": it is damaged or not an rba "
                        + "statistics file");
            }
            return v;
        }

        String string() throws IOException {
            int n = count(MAX_STRING, "string length");
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        double[] doubles(long count) throws IOException {
            // Check the length against the file before allocating, so a damaged header fails fast.
            if (count * Double.BYTES > remaining()) {
                throw new EOFException(path + " is truncated (ends inside the Grams): recompute or copy it again");
            }
            double[] out = new double[Math.toIntExact(count)];
            for (int i = 0; i < out.length; i++) out[i] = float64();
            return out;
        }
    }
}
