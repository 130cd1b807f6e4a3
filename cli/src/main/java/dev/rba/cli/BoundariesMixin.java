package dev.rba.cli;

import dev.rba.core.pipeline.LoadedModel;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code --boundaries}: the h_k tensors to use instead of the ones block discovery finds. Mixed in with {@code @Mixin}. */
public final class BoundariesMixin {
    @Option(names = "--boundaries", split = ",", paramLabel = "TENSOR",
            description = "Residual-stream tensor names h_0,h_1,...,h_L to use instead of automatic discovery.")
    List<String> names;

    /** Opens {@code model} with these boundaries, or the discovered ones when none were given. */
    LoadedModel open(Path model) throws IOException {
        return LoadedModel.open(model, names);
    }
}
