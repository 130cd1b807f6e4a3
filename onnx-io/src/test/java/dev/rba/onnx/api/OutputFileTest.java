package dev.rba.onnx.api;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The output policy, case by case: what is refused, what is left behind (nothing), what is never changed (inputs). */
public class OutputFileTest {

    /** A FIFO made by mkfifo(1); the test is skipped, saying why, where there is none. */
    public static Path fifo(Path p) throws Exception {
        return special(p, "mkfifo", p.toString());
    }

    /** A character device like /dev/null (major 1, minor 3) made by mknod(1), which needs root; else skipped. */
    public static Path device(Path p) throws Exception {
        return special(p, "mknod", p.toString(), "c", "1", "3");
    }

    private static Path special(Path p, String... command) throws Exception {
        Process proc;
        try {
            proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort(command[0] + " is not available here (" + e.getMessage() + ")");
            return p;
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(proc.waitFor() == 0 && Files.exists(p, LinkOption.NOFOLLOW_LINKS),
                () -> String.join(" ", command) + " failed here (" + out + "); needs root for devices");
        return p;
    }

    private static void write(Path target, String text) throws IOException {
        try (OutputFile f = OutputFile.create(target, "output")) {
            f.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            f.commit();
        }
    }

    private static void assertOnly(Path dir, String... names) throws IOException {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(names), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "files left in " + dir);
        }
    }

    @Test
    void writesThroughATemporaryFileAndLeavesNothingElse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        write(out, "one");
        write(out, "two");
        assertEquals("two", Files.readString(out));
        assertOnly(dir, "out.txt");
    }

    @Test
    void refusesAFifoAndLeavesIt(@TempDir Path dir) throws Exception {
        Path f = fifo(dir.resolve("pipe"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(f, "x"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputFile.check(f, "-o", List.of()));
        assertTrue(Files.exists(f) && !Files.isRegularFile(f) && !Files.isDirectory(f), "still the FIFO");
        assertOnly(dir, "pipe");
    }

    @Test
    void refusesADeviceAndLeavesIt(@TempDir Path dir) throws Exception {
        Path dev = device(dir.resolve("null-like"));
        assertThrows(IllegalArgumentException.class, () -> write(dev, "x"));
        assertFalse(Files.isRegularFile(dev), "still the device");
        assertOnly(dir, "null-like");
    }

    @Test
    void refusesAFolderAndLinksToFoldersAndFifos(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertThrows(IllegalArgumentException.class, () -> write(folder, "x"));
        Path toFolder = Files.createSymbolicLink(dir.resolve("to-folder"), folder);
        assertThrows(IllegalArgumentException.class, () -> write(toFolder, "x"));
        Path f = fifo(dir.resolve("pipe"));
        Path toFifo = Files.createSymbolicLink(dir.resolve("to-pipe"), f);
        assertThrows(IllegalArgumentException.class, () -> write(toFifo, "x"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThrows(IllegalArgumentException.class, () -> write(dangling, "x"));
        assertTrue(Files.isSymbolicLink(toFolder) && Files.isSymbolicLink(toFifo) && Files.isSymbolicLink(dangling));
        assertFalse(Files.isRegularFile(f));
        assertOnly(dir, "dangling", "folder", "pipe", "to-folder", "to-pipe");
        assertOnly(folder);
    }

    @Test
    void writesThroughALinkToARegularFile(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("real.txt"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("new", Files.readString(real));
        assertOnly(dir, "link.txt", "real.txt");
    }

    @Test
    void refusesEveryInputByPathHardLinkSymbolicLinkOrFolder(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("model.onnx"), "model bytes");
        Path data = Files.createDirectory(dir.resolve("data"));
        Path image = Files.writeString(data.resolve("a.png"), "image bytes");
        Path hard = Files.createLink(dir.resolve("hard.onnx"), model);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.onnx"), model);
        List<Path> inputs = List.of(model, data);
        for (Path target : List.of(model, hard, soft, image, dir.resolve("data/../model.onnx"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OutputFile.check(target, "--report", inputs), target.toString());
            assertTrue(e.getMessage().startsWith("--report " + target), e.getMessage());
            assertTrue(e.getMessage().contains("never writes over its inputs"), e.getMessage());
        }
        assertEquals("model bytes", Files.readString(model));
        assertEquals("image bytes", Files.readString(image));
        // a new file beside the inputs is fine
        assertEquals(dir.resolve("report.json").toAbsolutePath().normalize(),
                OutputFile.check(dir.resolve("report.json"), "--report", inputs));
    }

    @Test
    void refusesTwoOutputsThatAreOneFile(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.json"), "");
        Path b = Files.createSymbolicLink(dir.resolve("b.json"), a);
        assertThrows(IllegalArgumentException.class, () -> OutputFile.checkDistinct(a, "--report", b, "--heatmap"));
        OutputFile.checkDistinct(a, "--report", dir.resolve("c.png"), "--heatmap");
    }

    @Test
    void refusesAMissingOrReadOnlyFolderBeforeAnyWork(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> OutputFile.check(dir.resolve("no/such/out.onnx"), "-o", List.of()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(ro), "running as root: a read-only folder is writable to root");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OutputFile.check(ro.resolve("out.onnx"), "-o", List.of()));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path out = Files.writeString(dir.resolve("out.bin"), "old");
        assertThrows(IllegalStateException.class, () -> {
            try (OutputFile f = OutputFile.create(out, "output")) {
                f.channel().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                throw new IllegalStateException("the work failed");
            }
        });
        assertEquals("old", Files.readString(out));
        Path fresh = dir.resolve("fresh.bin");
        try (OutputFile f = OutputFile.create(fresh, "output")) {
            f.channel().write(ByteBuffer.wrap(new byte[] {1}));
        }
        assertOnly(dir, "out.bin");
    }

    @Test
    void aFailedCommandRemovesTheOutputsItCreatedAndKeepsTheOthers(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve("stats.bin"), "old");
        Path fresh = dir.resolve("heat.png");
        NewOutputs outputs = new NewOutputs();
        outputs.before(old);
        write(old, "new");
        outputs.before(fresh);
        write(fresh, "png");
        IllegalStateException failure = new IllegalStateException("the third output failed");
        outputs.removeAll(failure);
        assertEquals("new", Files.readString(old), "a file that existed keeps what was completed");
        assertOnly(dir, "stats.bin");
        assertEquals(0, failure.getSuppressed().length);
    }

    @Test
    void aFifoPutAtTheTargetDuringTheWorkIsNotReplaced(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.onnx");
        try (OutputFile f = OutputFile.create(target, "-o")) {
            f.channel().write(ByteBuffer.wrap(new byte[] {1}));
            fifo(target);
            assertThrows(IllegalArgumentException.class, f::commit);
        }
        assertFalse(Files.isRegularFile(target));
        assertOnly(dir, "out.onnx");
    }

    @Test
    void sigtermDuringAWriteRemovesTheTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("killed.onnx");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowWriter.class.getName(), target.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", r.readLine(), "child started its write");
            try (var files = Files.list(dir)) {
                assertEquals(1, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "temp exists");
            }
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child stopped");
        } finally {
            child.destroyForcibly();
        }
        assertOnly(dir);
    }

    /** A child JVM that starts a write and waits to be killed. */
    public static final class SlowWriter {
        public static void main(String[] args) throws Exception {
            OutputFile f = OutputFile.create(Path.of(args[0]), "output");
            f.channel().write(ByteBuffer.wrap(new byte[1024]));
            System.out.println("writing");
            System.out.flush();
            Thread.sleep(60_000);
            f.commit();
        }
    }
}
