package dev.rba.onnx.runtime;

/**
 * Another {@link ModelInputs}' samples, for a wrapper that watches or changes its batches on their way to the runner
 * (timing the loader, reporting progress, keeping the mask, shuffling a probe): it overrides {@link #batch} and
 * reads {@link #inner}'s.
 */
public abstract class ForwardingInputs implements ModelInputs {
    protected final ModelInputs inner;

    protected ForwardingInputs(ModelInputs inner) {
        this.inner = inner;
    }

    @Override
    public long sampleCount() {
        return inner.sampleCount();
    }
}
