package dev.rba.cli;

import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.pipeline.StageTimes;
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

    /** As {@link #open(Path)}, adding the time of its stages (model read, blocks, shape probe) to {@code times}. */
    LoadedModel open(Path model, StageTimes times) throws IOException {
        return LoadedModel.open(model, names, times);
    }
}
