package dev.rba.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java programs under tools/ (run by hand or by the results scripts as {@code java File.java}, never by the
 * build) compile against today's API, so that a change of signature in core breaks the build, not a later study.
 * Each is compiled on its own, as the source launcher does (other files of its folder found on the source path),
 * against the class path the tests run on.
 */
class ToolsCompileTest {

    @Test
    void everyToolCompiles(@TempDir Path out) throws IOException {
        Path tools = CliRunner.FIXTURES.resolveSibling("tools");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(tools)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() >= 4, "tools' Java programs found: " + sources);
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        for (Path source : sources) {
            Path classes = Files.createDirectories(out.resolve(tools.relativize(source).toString().replace('/', '_')));
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(messages, true, StandardCharsets.UTF_8);
            int rc = javac.run(log, log,
                    "-proc:none", "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
                    "-sourcepath", source.getParent().toString(), source.toString());
            assertEquals(0, rc, source + " does not compile:\n" + messages.toString(StandardCharsets.UTF_8));
        }
    }
}
