package dev.rba.core.eval;

import java.nio.file.Path;

/**
 * Static size and cost of a model file.
 *
 * @param path          the model file
 * @param parameters    weights: elements of floating-point initializers of more than one element (scalars and shape
 *                      constants are not weights), each tensor counted once; the same rule as a block's parameters
 * @param initializerElements elements of all initializers, constants included
 * @param macsPerSample multiply-accumulates per sample of all MatMul, Gemm and Conv nodes (-1 when a shape is unknown)
 * @param macsSource    where the shapes behind the MACs came from
 * @param fileBytes     bytes on disk: the model file plus the external data files it refers to
 */
public record ModelSize(Path path, long parameters, long initializerElements, long macsPerSample, String macsSource,
                        long fileBytes) {
}
