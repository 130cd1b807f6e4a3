package dev.rba.core.linalg.simd;

/**
 * Whether this JVM has the Vector API ({@code jdk.incubator.vector}) resolved, i.e. started with
 * {@code --add-modules jdk.incubator.vector}. The kernels' Vector API code sits in classes of their own
 * ({@code Simd*}) that are loaded only when it is: the verifier resolves {@code jdk.incubator.vector} types as soon
 * as such a class links, so merely keeping a call off the path would still throw {@link NoClassDefFoundError}.
 * Without the module every kernel runs its scalar loop (same results up to summation order, slower).
 */
public final class VectorApi {

    public static final String MODULE = "jdk.incubator.vector";

    /** True when the module is in the boot layer, so the {@code Simd*} classes can link. */
    public static final boolean PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();

    private VectorApi() {
    }

    /** One line for {@code rba doctor} and backend details: what the kernels use here, and how to change it. */
    public static String note() {
        if (PRESENT) {
            return "Vector API " + SimdMicroKernel.SPECIES;
        }
        boolean inJdk = java.lang.module.ModuleFinder.ofSystem().find(MODULE).isPresent();
        return "scalar kernels (" + MODULE + " not loaded: start the JVM with --add-modules " + MODULE
                + (inJdk ? "" : ", which this Java runtime lacks") + " for the Vector API)";
    }
}
