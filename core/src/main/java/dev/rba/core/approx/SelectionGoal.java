package dev.rba.core.approx;

/**
 * What a selection aims for: remove exactly {@code removeBlocks} blocks with the least held-out drop, or remove as
 * many blocks as possible while the held-out drop stays at most {@code maxDrop} percentage points (of top-1
 * accuracy when the data has labels, else of agreement with the original).
 */
public record SelectionGoal(int removeBlocks, double maxDrop) {

    public SelectionGoal {
        boolean remove = removeBlocks > 0;
        boolean drop = !Double.isNaN(maxDrop);
        if (remove == drop) throw new IllegalArgumentException("give either a number of blocks to remove or a largest drop");
        if (drop && (maxDrop < 0 || Double.isInfinite(maxDrop))) {
            throw new IllegalArgumentException("--max-drop must be a percentage >= 0, got " + maxDrop);
        }
    }

    public static SelectionGoal remove(int blocks) {
        if (blocks <= 0) throw new IllegalArgumentException("--remove must be a positive number of blocks, got " + blocks);
        return new SelectionGoal(blocks, Double.NaN);
    }

    public static SelectionGoal maxDrop(double percentagePoints) {
        return new SelectionGoal(0, percentagePoints);
    }

    public boolean isRemove() {
        return removeBlocks > 0;
    }

    public String describe() {
        return isRemove() ? "remove " + removeBlocks + " block(s) with the least held-out drop"
                : String.format(java.util.Locale.ROOT, "remove as many blocks as keep the held-out drop <= %.2f points", maxDrop);
    }
}
