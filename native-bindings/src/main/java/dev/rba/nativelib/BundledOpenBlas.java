package dev.rba.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The OpenBLAS shipped inside the Maven artifact {@code org.bytedeco:openblas:*:linux-x86_64}: a libopenblas.so.0 with
 * LAPACKE built in, plus the GCC runtime libraries it needs (libgfortran.so.5 → libquadmath.so.0, libgcc_s.so.1), so a
 * machine with only a JDK and Maven has a native BLAS. The files are extracted once into a per-user cache folder named
 * after a hash of their contents (sizes and CRCs from the jar, so no 40 MB re-hash per start); each file is written to a
 * temporary name and renamed, so concurrent JVMs never see a half-written library.
 */
final class BundledOpenBlas {
    static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    /** Load order: each library's dependencies before it, so its NEEDED entries resolve to the copies already mapped. */
    static final List<String> RUNTIME_DEPENDENCIES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5");
    static final String MAIN_LIBRARY = "libopenblas.so.0";
    static final String SOURCE = "bundled (org.bytedeco:openblas linux-x86_64)";

    private BundledOpenBlas() {
    }

    /** Whether this JVM runs on the one platform the bundled binaries are built for. */
    static boolean platformSupported() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Extracts (once) and returns the folder holding the bundled libraries. */
    static Path extract(Function<String, String> properties, Function<String, String> env) throws IOException {
        ClassLoader loader = BundledOpenBlas.class.getClassLoader();
        List<String> files = new ArrayList<>(RUNTIME_DEPENDENCIES);
        files.add(MAIN_LIBRARY);
        List<URL> urls = new ArrayList<>();
        for (String file : files) {
            URL url = loader.getResource(RESOURCE_DIR + file);
            if (url == null) {
                throw new IOException("resource " + RESOURCE_DIR + file + " is not on the class path (add the Maven dependency org.bytedeco:openblas with classifier linux-x86_64)");
            }
            urls.add(url);
        }
        Path folder = cacheRoot(properties, env).resolve("openblas-" + contentKey(files, urls));
        Files.createDirectories(folder);
        for (int i = 0; i < files.size(); i++) {
            writeIfMissing(urls.get(i), folder.resolve(files.get(i)));
        }
        return folder;
    }

    /** First writable of: rba.cache.dir / RBA_CACHE_DIR, $XDG_CACHE_HOME/rba/native, ~/.cache/rba/native, tmpdir. */
    static Path cacheRoot(Function<String, String> properties, Function<String, String> env) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String explicit = firstNonBlank(properties.apply("rba.cache.dir"), env.apply("RBA_CACHE_DIR"));
        if (explicit != null) {
            candidates.add(Paths.get(explicit).resolve("native"));
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            candidates.add(Paths.get(xdg, "rba", "native"));
        }
        String home = properties.apply("user.home");
        if (home != null && !home.isBlank() && !home.equals("?")) {
            candidates.add(Paths.get(home, ".cache", "rba", "native"));
        }
        candidates.add(Paths.get(System.getProperty("java.io.tmpdir"), "rba-cache-" + System.getProperty("user.name", "user"), "native"));
        IOException last = null;
        for (Path candidate : candidates) {
            try {
                Files.createDirectories(candidate);
                if (Files.isWritable(candidate)) {
                    return candidate;
                }
                last = new AccessDeniedException(candidate.toString());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no writable cache folder for the bundled OpenBLAS (tried " + candidates + "); set rba.cache.dir or RBA_CACHE_DIR to a writable folder", last);
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    /** Hash of each file's name, size and CRC-32: taken from the jar's directory when possible, else from the bytes. */
    private static String contentKey(List<String> files, List<URL> urls) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        for (int i = 0; i < files.size(); i++) {
            long[] sizeAndCrc = sizeAndCrc(urls.get(i));
            sha.update((files.get(i) + ":" + sizeAndCrc[0] + ":" + Long.toHexString(sizeAndCrc[1]) + ";").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static long[] sizeAndCrc(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            var entry = jar.getJarEntry();
            if (entry != null && entry.getSize() >= 0 && entry.getCrc() >= 0) {
                return new long[] {entry.getSize(), entry.getCrc()};
            }
        }
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = url.openStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return new long[] {size, crc.getValue()};
    }

    private static void writeIfMissing(URL url, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == sizeAndCrc(url)[0]) {
            return;
        }
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            try (InputStream in = url.openStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
