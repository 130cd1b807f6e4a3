/**
 * Calibration data for rba: {@link dev.rba.cli.data.DataSources#open} reads class folders of PNG/JPEG images, IDX
 * (MNIST-format) files or .npz/.npy arrays and yields {@link dev.rba.cli.data.DataBatch}es of model-ready tensors;
 * {@link dev.rba.cli.data.ImagePreprocessing} settles resize, crop, scale, mean/std, channel order and layout from the
 * user's options, the model's {@code rba.input.*} metadata and the input's shape; {@link dev.rba.cli.data.Npy},
 * {@link dev.rba.cli.data.Npz} and {@link dev.rba.cli.data.NpyWriter} read and write NumPy files. Only the JDK is used.
 */
package dev.rba.cli.data;
