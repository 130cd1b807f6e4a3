package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Reads a model whose weights are inline without copying them onto the Java heap: the file is mapped, its protobuf
 * is walked at the wire level, and every main-graph initializer with at least {@value #MIN_BYTES} bytes of
 * {@code raw_data} (of exactly the length its type and dims need) is turned into an external-data tensor that points
 * at its own bytes in the model file ({@code location} = the file's name, {@code offset}, {@code length}). Everything
 * else is copied as it is and parsed as usual, so the proto costs kilobytes instead of the weights' size.
 *
 * <p>Why: a parsed 346 MB ViT-B held its weights in one heap array, which the collector then had to make room for
 * (the heap grew to three times it), and every ONNX Runtime session was made from a serialised copy of them. Now
 * the weights are read from the file where they are needed (by rba through {@link OnnxModelFile#bytesOf}, a mapping;
 * by ONNX Runtime, which reads external data itself), and sessions are made from a small protobuf.
 *
 * <p>Anything this walk does not expect (a malformed or unusual encoding, a graph given in several pieces, a tensor
 * that already has external data) makes it give up: the caller then parses the file whole, with its checks and their
 * messages.
 */
final class WeightsLeftInFile {
    /** Initializers with fewer raw bytes stay inline (shape constants, biases, norms: small, and read by rba as protos). */
    static final long MIN_BYTES = 1 << 20;

    private static final int GRAPH = 7;          // ModelProto.graph
    private static final int INITIALIZER = 5;    // GraphProto.initializer
    private static final int RAW_DATA = 9;       // TensorProto.raw_data
    private static final int EXTERNAL_DATA = 13; // TensorProto.external_data
    private static final int DATA_LOCATION = 14; // TensorProto.data_location
    private static final int LEN = 2;

    private WeightsLeftInFile() {
    }

    /**
     * The model of {@code path} ({@code size} bytes) with its large weights left in the file, parsed by
     * {@code parser}; null when no weight was large enough or the file's encoding is not the plain one handled here.
     */
    static ModelProto read(Path path, long size, Function<byte[], ModelProto> parser) throws IOException {
        ByteBuffer file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        Walk walk = new Walk(file, path.getFileName().toString());
        try {
            byte[] model = walk.model(0, (int) size);
            return walk.moved == 0 ? null : parser.apply(model);
        } catch (Malformed e) {
            return null;
        }
    }

    /** What a walk makes of a field's payload in [from, to): new bytes, or null to keep it. */
    private interface Rewrite {
        byte[] apply(int from, int to) throws Malformed;
    }

    /** The encoding is not what this walk handles; the whole file is parsed instead. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private static final class Walk {
        private final ByteBuffer file;
        private final String location;
        private int pos;
        int moved;

        Walk(ByteBuffer file, String location) {
            this.file = file;
            this.location = location;
        }

        /** The ModelProto in [from, to): every field copied, the graph rewritten. */
        byte[] model(int from, int to) throws Malformed {
            int[] graphs = {0};
            return rewrite(from, to, GRAPH, (a, b) -> {
                if (graphs[0]++ > 0) throw new Malformed();   // pieces that protobuf would merge
                return graph(a, b);
            });
        }

        private byte[] graph(int from, int to) throws Malformed {
            return rewrite(from, to, INITIALIZER, this::tensor);
        }

        /**
         * The message in [from, to) with the payload of each length-delimited field {@code number} replaced by what
         * {@code rewrite} makes of it (null: kept as it is), and every other field copied.
         */
        private byte[] rewrite(int from, int to, int number, Rewrite rewrite) throws Malformed {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pos = from;
            while (pos < to) {
                int start = pos;
                long tag = varint(to);
                if (tag >>> 3 == number && (tag & 7) == LEN) {
                    int len = length(to);
                    int end = pos + len;
                    byte[] payload = rewrite.apply(pos, end);
                    if (payload == null) {
                        copy(out, start, end);
                    } else {
                        writeVarint(out, tag);
                        writeVarint(out, payload.length);
                        out.writeBytes(payload);
                    }
                    pos = end;
                } else {
                    skip(tag, to);
                    copy(out, start, pos);
                }
            }
            return out.toByteArray();
        }

        /** The tensor in [from, to) as an external-data tensor over its own raw bytes; null to keep it as it is. */
        private byte[] tensor(int from, int to) throws Malformed {
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            int rawAt = -1;
            int rawLength = 0;
            pos = from;
            while (pos < to) {
                int start = pos;
                long tag = varint(to);
                long field = tag >>> 3;
                if (field == EXTERNAL_DATA || field == DATA_LOCATION) return null;
                if (field == RAW_DATA && (tag & 7) == LEN) {
                    if (rawAt >= 0) return null;
                    rawLength = length(to);
                    rawAt = pos;
                    pos += rawLength;
                } else {
                    skip(tag, to);
                    copy(rest, start, pos);
                }
            }
            if (rawAt < 0 || rawLength < MIN_BYTES) return null;
            TensorProto t;
            try {
                t = TensorProto.parseFrom(rest.toByteArray());
                if (TensorShapes.rawByteSize(t) != rawLength) return null;   // the checker reports it as read
            } catch (IOException | RuntimeException e) {
                return null;
            }
            moved++;
            return t.toBuilder().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", location))
                    .addExternalData(entry("offset", Integer.toString(rawAt)))
                    .addExternalData(entry("length", Integer.toString(rawLength)))
                    .build().toByteArray();
        }

        private static StringStringEntryProto entry(String key, String value) {
            return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
        }

        private long varint(int limit) throws Malformed {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) throw new Malformed();
                byte b = file.get(pos++);
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) return v;
            }
            throw new Malformed();
        }

        private int length(int limit) throws Malformed {
            long len = varint(limit);
            if (len < 0 || len > limit - pos) throw new Malformed();
            return (int) len;
        }

        private void skip(long tag, int limit) throws Malformed {
            switch ((int) (tag & 7)) {
                case 0 -> varint(limit);
                case 1 -> advance(8, limit);
                case LEN -> {
                    int n = length(limit);   // not "pos += length(...)": that adds to pos as it was before the length
                    pos += n;
                }
                case 5 -> advance(4, limit);
                default -> throw new Malformed();   // groups: not in ONNX
            }
        }

        private void advance(int n, int limit) throws Malformed {
            if (n > limit - pos) throw new Malformed();
            pos += n;
        }

        private void copy(ByteArrayOutputStream out, int from, int to) {
            byte[] b = new byte[to - from];
            file.get(from, b);
            out.writeBytes(b);
        }

        private static void writeVarint(ByteArrayOutputStream out, long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
