package dev.rba.onnx.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written under a temporary name in its target folder and renamed over the target when complete, so a
 * reader never sees half a model and a failed write leaves the old file as it was.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    AtomicFile(Path target) throws IOException {
        this.target = target;
        Path dir = target.getParent();
        Path t = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            t = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                ch = open(t);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
        this.temp = t;
        this.channel = ch;
    }

    private static FileChannel open(Path p) throws IOException {
        var options = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            // models are shared files: rw-r--r-- like any file the user would create (umask still applies)
            FileAttribute<?> perms = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
            return FileChannel.open(p, options, perms);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(p, options);
        }
    }

    FileChannel channel() {
        return channel;
    }

    /** Flushes to disk and renames the temporary file over the target. */
    void commit() throws IOException {
        channel.force(true);
        channel.close();
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Removes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        channel.close();
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
