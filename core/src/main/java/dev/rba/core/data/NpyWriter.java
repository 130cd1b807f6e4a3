package dev.rba.core.data;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import dev.rba.onnx.api.OutputFile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams one .npy array to disk in pieces (e.g. one captured batch at a time), straight from off-heap segments to
 * a FileChannel. It writes to a temporary file beside the target; {@link #finish()} checks that exactly the declared
 * number of bytes arrived and renames it into place. Closing without finish deletes the temporary file.
 */
public final class NpyWriter implements AutoCloseable {
    private static final int HEAP_CHUNK = 1 << 20;
    private static final long DIRECT_CHUNK = 1L << 30;

    private final OutputFile file;
    private final long dataBytes;
    private long written;
    private boolean finished;

    private NpyWriter(OutputFile file, long dataBytes) {
        this.file = file;
        this.dataBytes = dataBytes;
    }

    /** Starts an array of the given type and C-order shape; the data must follow in little-endian order. */
    public static NpyWriter create(Path target, ElementType type, long... shape) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        OutputFile file = OutputFile.create(target, "output");
        NpyWriter w = new NpyWriter(file, NdArray.elementCount(shape) * type.byteSize());
        try {
            w.writeFully(ByteBuffer.wrap(Npy.headerBytes(type, shape)));
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** Appends little-endian element bytes; native segments go to the channel without a copy. */
    public void append(MemorySegment bytes) throws IOException {
        if (finished) throw new IllegalStateException(file.target() + ": append after finish");
        if (written + bytes.byteSize() > dataBytes) {
            throw new IllegalStateException(file.target() + ": " + (written + bytes.byteSize()) + " data bytes exceed the "
                    + dataBytes + " the shape declares");
        }
        if (bytes.isNative() || bytes.heapBase().orElse(null) instanceof byte[]) {
            for (long off = 0; off < bytes.byteSize(); off += DIRECT_CHUNK) {
                writeFully(bytes.asSlice(off, Math.min(DIRECT_CHUNK, bytes.byteSize() - off)).asByteBuffer());
            }
        } else {
            // asByteBuffer() refuses heap segments over arrays other than byte[]: copy through a small buffer.
            byte[] buf = new byte[(int) Math.min(HEAP_CHUNK, Math.max(1, bytes.byteSize()))];
            for (long off = 0; off < bytes.byteSize(); off += buf.length) {
                int len = (int) Math.min(buf.length, bytes.byteSize() - off);
                MemorySegment.copy(bytes, off, MemorySegment.ofArray(buf), 0, len);
                writeFully(ByteBuffer.wrap(buf, 0, len));
            }
        }
        written += bytes.byteSize();
    }

    /** Checks the byte count, flushes and renames the temporary file to the target. */
    public void finish() throws IOException {
        if (written != dataBytes) {
            throw new IllegalStateException(file.target() + ": got " + written + " data bytes, the shape declares "
                    + dataBytes);
        }
        file.commit();
        finished = true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) file.channel().write(b);
    }
}
