/**
 * Calibration data for rba: {@link dev.rba.core.data.DataSources#open} reads class folders of PNG/JPEG images, IDX
 * (MNIST-format) files or .npz/.npy arrays and yields {@link dev.rba.core.data.DataBatch}es of model-ready tensors;
 * {@link dev.rba.core.data.ImagePreprocessing} settles resize, crop, scale, mean/std, channel order and layout from the
 * user's options, the model's {@code rba.input.*} metadata and the input's shape; {@link dev.rba.core.data.Npy},
 * {@link dev.rba.core.data.Npz} and {@link dev.rba.core.data.NpyWriter} read and write NumPy files. Only the JDK is used.
 */
package dev.rba.core.data;
