package dev.rba.nativelib;

/**
 * A LAPACK-style routine (LAPACKE or cuSOLVER) reported a nonzero {@code info}. Negative: argument {@code -info} was
 * illegal (a bug in the caller). Positive: a numerical failure whose meaning depends on the routine, e.g. for potrf the
 * leading minor of order {@code info} is not positive definite; callers catch this to fall back (ridge, SVD).
 */
public class LapackInfoException extends NativeCallException {
    public LapackInfoException(String functionName, int info, String codeName, String detail) {
        super(functionName, info, codeName, detail);
    }

    public int info() {
        return code();
    }

    public boolean isIllegalArgument() {
        return code() < 0;
    }

    public boolean isNumericalFailure() {
        return code() > 0;
    }
}
