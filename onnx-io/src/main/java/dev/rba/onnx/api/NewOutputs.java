package dev.rba.onnx.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs a command creates, so that a command that fails after writing some of its outputs can remove the ones
 * it created and leave the folder as it found it. (Each file is written whole or not at all by {@link OutputFile}; a
 * file that existed before the command keeps its old content unless the command completed that file.)
 */
public final class NewOutputs {
    private final List<Path> created = new ArrayList<>();

    /** Call before writing {@code target}: remembers it when nothing is there yet. */
    public void before(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            created.add(target);
        }
    }

    /** For the failure path: removes every output this command created, adding any failure to {@code cause}. */
    public void removeAll(Throwable cause) {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
        created.clear();
    }
}
