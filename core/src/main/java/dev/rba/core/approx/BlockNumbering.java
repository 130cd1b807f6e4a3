package dev.rba.core.approx;

import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.onnx.blocks.BlockStructure;
import dev.rba.onnx.blocks.BlockStructure.OriginalBlocks;

import java.util.ArrayList;
import java.util.List;

/**
 * Block numbers as the user sees them, against the blocks the pipeline works on. They are the same except in a model
 * rba rewrote, where a replaced span is one block (its MatMul) standing for original blocks first-last, and the
 * blocks after it keep their original numbers: after replacing 1-2 of 8 blocks, original block 5 is block 4 here.
 */
public final class BlockNumbering {
    private final List<OriginalBlocks> original;

    private BlockNumbering(List<OriginalBlocks> original) {
        this.original = original;
    }

    /** The numbering of a loaded model's blocks. */
    public static BlockNumbering of(LoadedModel model) {
        return of(OnnxLoadedModel.of(model).blocks());
    }

    static BlockNumbering of(BlockStructure blocks) {
        return new BlockNumbering(blocks.numbering());
    }

    /** A span in original numbers as a span of this model's blocks; refuses one that cuts a replaced span. */
    public Span toModel(Span user) {
        int first = -1;
        int last = -1;
        for (int k = 0; k < original.size(); k++) {
            if (original.get(k).first() == user.first()) first = k;
            if (original.get(k).last() == user.last()) last = k;
        }
        if (first < 0 || last < 0) {
            for (OriginalBlocks o : original) {
                boolean cuts = o.replaced() && (inside(user.first(), o) && user.first() != o.first()
                        || inside(user.last(), o) && user.last() != o.last());
                if (cuts) {
                    throw new IllegalArgumentException("span " + user.text() + " cuts into blocks " + o.text() + ", which rba "
                            + "already replaced by one linear map: give a span that holds all of " + o.text() + " or none");
                }
            }
            int count = original.isEmpty() ? 0 : original.getLast().last() + 1;
            throw new IllegalArgumentException("span " + user.text() + " is out of range: the model has " + count
                    + " blocks, numbered 0-" + (count - 1));
        }
        return new Span(first, last);
    }

    public List<Span> toModel(List<Span> user) {
        List<Span> out = new ArrayList<>();
        for (Span s : user) out.add(toModel(s));
        return out;
    }

    /** A span of this model's blocks in original numbers. */
    public Span toOriginal(Span model) {
        return new Span(original.get(model.first()).first(), original.get(model.last()).last());
    }

    /** {@link Span#label()} in original numbers. */
    public String label(Span model) {
        return toOriginal(model).label();
    }

    /** Whether block k of this model is a span rba replaced earlier. */
    public boolean replaced(int k) {
        return original.get(k).replaced();
    }

    private static boolean inside(int block, OriginalBlocks o) {
        return block >= o.first() && block <= o.last();
    }
}
