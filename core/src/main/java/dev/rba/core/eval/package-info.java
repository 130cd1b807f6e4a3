/**
 * Evaluation of a model against a baseline (usually the original it was approximated from): top-1 accuracy when the
 * data has labels, agreement with the baseline's top-1 predictions, cosine of the output vectors, weights, MACs per
 * sample, file size and ONNX Runtime latency per batch, side by side.
 *
 * <p>Entry point: {@link dev.rba.core.eval.Evaluator#evaluate}. Results are plain records
 * ({@link dev.rba.core.eval.EvaluationReport}, {@link dev.rba.core.eval.ModelEvaluation}, ...) with no ONNX types, and
 * {@link dev.rba.core.eval.Comparison#compare} turns two evaluations into the rows of a before/after table.
 */
package dev.rba.core.eval;
