package dev.rba.onnx.api;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one policy for every file rba writes. A target is refused, before any work, when it exists and is not a
 * regular file (a device, a FIFO, a folder, or a link to one of them), when it is the same file as any input (by
 * {@link Files#isSameFile}, so hard links and symbolic links count), or when its folder is missing or not writable.
 * The bytes go to a hidden temporary file beside the target, renamed over it only when complete; the temporary file
 * is removed on every failure path and, through a shutdown hook, when the JVM is stopped (SIGTERM, SIGINT), so a
 * failed or killed command leaves nothing at the target and nothing beside it. A symbolic link to a regular file is
 * written through: the file it names is replaced, the link stays.
 */
public final class OutputFile implements AutoCloseable {
    /** Temporary files not yet renamed or removed, for the shutdown hook. */
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;
    private boolean closed;

    private OutputFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Checks a target before any work: the path where the file will be written (the file a link names), or an
     * {@link IllegalArgumentException} naming {@code what} (e.g. "--report") and what to do.
     *
     * @param inputs files (and folders, whose files all count) the command reads; the target must be none of them
     */
    public static Path check(Path target, String what, Collection<Path> inputs) throws IOException {
        Path t = writablePath(target, what);
        for (Path input : inputs) {
            if (input == null) {
                continue;
            }
            if (isInput(t, input)) {
                String which = Files.isDirectory(input) ? "a file inside the input folder " : "the input ";
                throw new IllegalArgumentException(what + " " + target + " is " + which + input
                        + ": rba never writes over its inputs; choose another output path");
            }
        }
        return t;
    }

    /** Refuses two outputs of one command that are the same file (one would replace the other). */
    public static void checkDistinct(Path a, String whatA, Path b, String whatB) throws IOException {
        if (a == null || b == null) {
            return;
        }
        Path ra = writablePath(a, whatA);
        Path rb = writablePath(b, whatB);
        if (ra.equals(rb)) {
            throw new IllegalArgumentException(whatA + " and " + whatB + " are the same file " + ra
                    + ": give each output its own path");
        }
    }

    /**
     * Opens a temporary file for {@code target}, after checking it as {@link #check} does without inputs (the caller
     * checked those before its work). Write through {@link #channel()} or {@link #stream()}, then {@link #commit()};
     * {@link #close()} removes the temporary file unless it was committed.
     */
    public static OutputFile create(Path target, String what) throws IOException {
        Path t = writablePath(target, what);
        installHook();
        for (int attempt = 0; ; attempt++) {
            Path temp = t.resolveSibling("." + t.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                    .nextLong()) + ".tmp");
            PENDING.add(temp);
            try {
                return new OutputFile(t, temp, open(temp));
            } catch (FileAlreadyExistsException e) {
                PENDING.remove(temp);
                if (attempt > 10) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                PENDING.remove(temp);
                throw e;
            }
        }
    }

    /** The path the file is written to (absolute, links resolved). */
    public Path target() {
        return target;
    }

    public FileChannel channel() {
        return channel;
    }

    /** A stream onto the channel; closing it only flushes, so that {@link #commit()} can still sync the file. */
    public OutputStream stream() {
        return new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * Flushes to disk and renames the temporary file over the target. The target is checked again, so a device or
     * FIFO put there while rba worked is refused rather than replaced.
     */
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException(target + ": commit after commit or close");
        }
        channel.force(true);
        channel.close();
        refuseNonRegular(target, "output");
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        PENDING.remove(temp);
    }

    /** Removes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            if (!committed) {
                Files.deleteIfExists(temp);
                PENDING.remove(temp);
            }
        }
    }

    /** The absolute path to write, links resolved, after the checks that need no inputs. */
    private static Path writablePath(Path target, String what) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs)) {
            if (!Files.exists(abs)) {
                throw new IllegalArgumentException(what + " " + target + " is a symbolic link to nothing ("
                        + Files.readSymbolicLink(abs) + "): remove it or choose another output path");
            }
            abs = abs.toRealPath();
        }
        refuseNonRegular(abs, what);
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " " + target + ": the folder " + dir
                    + " does not exist; create it first");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(what + " " + target + ": the folder " + dir
                    + " is not writable; choose another output path");
        }
        return abs;
    }

    private static void refuseNonRegular(Path p, String what) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
            String kind = Files.isDirectory(p) ? "a folder" : "not a regular file (a device, FIFO or socket)";
            throw new IllegalArgumentException(what + " " + p + " is " + kind
                    + ": rba writes only regular files; give a file path");
        }
    }

    private static boolean isInput(Path target, Path input) throws IOException {
        Path in = input.toAbsolutePath().normalize();
        if (target.equals(in)) {
            return true;
        }
        if (!Files.exists(target) || !Files.exists(in)) {
            return false;
        }
        if (Files.isDirectory(in)) {
            return target.toRealPath().startsWith(in.toRealPath());
        }
        return Files.isSameFile(target, in);
    }

    private static FileChannel open(Path p) throws IOException {
        var options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            // outputs are shared files: rw-r--r-- like any file the user would create (umask still applies)
            FileAttribute<?> perms = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
            return FileChannel.open(p, options, perms);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(p, options);
        }
    }

    /** One hook for the JVM: a kill must not leave hidden temporary files nobody removes. */
    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (PENDING) {
            if (hookInstalled) {
                return;
            }
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("rba-output-cleanup").unstarted(() -> {
                for (Path p : PENDING) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException | RuntimeException ignored) {
                        // the JVM is stopping: nothing better to do than try the next one
                    }
                }
            }));
            hookInstalled = true;
        }
    }
}
