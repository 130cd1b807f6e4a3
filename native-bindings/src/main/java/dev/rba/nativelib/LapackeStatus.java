package dev.rba.nativelib;

/**
 * LAPACKE's {@code info} return value to exceptions. 0 is success; negative {@code -i} means argument i was illegal
 * (-1010/-1011: LAPACKE ran out of memory); positive is a numerical failure whose meaning depends on the routine, kept
 * in {@link LapackInfoException#info()} so that callers can fall back (e.g. ridge when potrf finds no positive
 * definite matrix).
 */
public final class LapackeStatus {
    private LapackeStatus() {
    }

    /** Throws {@link LapackInfoException} unless {@code info == 0}. */
    public static void check(String functionName, int info) {
        if (info != 0) {
            throw exception(functionName, info);
        }
    }

    static LapackInfoException exception(String functionName, int info) {
        if (info == -1010 || info == -1011) {
            return new LapackInfoException(functionName, info, "LAPACK_" + (info == -1010 ? "WORK" : "TRANSPOSE") + "_MEMORY_ERROR",
                    "LAPACKE could not allocate its work memory; free memory or use smaller matrices");
        }
        if (info < 0) {
            return new LapackInfoException(functionName, info, "ILLEGAL_ARGUMENT",
                    "argument " + (-info) + " has an illegal value (a bug in the caller: check dimensions and leading dimensions)");
        }
        return new LapackInfoException(functionName, info, "NUMERICAL_FAILURE", numericalMeaning(functionName, info));
    }

    /** What a positive info means for the routines rba binds (LAPACK's documented conventions). */
    static String numericalMeaning(String functionName, int info) {
        String routine = functionName.replaceFirst("^(LAPACKE_|cusolverDn)", "").toLowerCase();
        if (routine.length() > 1) {
            routine = routine.substring(1); // drop the s/d precision letter
        }
        return switch (routine) {
            case "potrf" -> "the leading minor of order " + info + " is not positive definite (use a ridge term or an SVD-based solve)";
            case "gels" -> "diagonal element " + info + " of the triangular factor is zero: the matrix does not have full rank (use an SVD-based or ridge solve)";
            case "gesdd", "gesvd", "gesvdj" -> "the SVD did not converge (" + info + " superdiagonals did not reach zero)";
            case "syevd" -> "the eigen solver did not converge (info " + info + ")";
            default -> "numerical failure, info " + info;
        };
    }
}
