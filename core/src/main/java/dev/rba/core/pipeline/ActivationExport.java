package dev.rba.core.pipeline;

import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.onnx.CaptureTarget;
import dev.rba.core.onnx.CapturePass;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.ActivationFloats;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npy;
import dev.rba.core.data.NpyWriter;
import dev.rba.core.stats.TokenMask;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.runtime.ActivationCapture;
import dev.rba.onnx.runtime.CaptureOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes chosen h_k of a calibration pass to .npy files, {@code DIR/h_<k>.npy} as float32 [samples, tokens, d]
 * (tokens = 1 for the cls or mean selection), streamed batch by batch from the capture buffers to disk, each file
 * written to a temporary name and renamed when complete. With labels, {@code labels.npy} (int64 [samples]); for
 * models with an attention mask and all tokens, {@code token_mask.npy} (uint8 [samples, tokens], 1 = real token),
 * since padded rows are written as the model produced them.
 */
public final class ActivationExport {
    private ActivationExport() {
    }

    /**
     * @param tokens     rows per sample: ALL (every token), CLS (token 0) or MEAN (mean over real tokens)
     * @param batchSize  samples per ONNX Runtime run (at most: 1 where the model fixes its batch at 1)
     */
    public record Options(TokenSelection tokens, int batchSize, int ortThreads, boolean cudaProvider) {
        public Options {
            if (tokens == null) tokens = TokenSelection.ALL;
            if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** What was written: the h files in the order asked for, and the labels and mask files (null when absent). */
    public record Result(List<Path> hFiles, Path labels, Path tokenMask, long samples, int tokensPerSample, int d,
                         long bytes, CalibrationTimings timings) {
        public Result {
            hFiles = List.copyOf(hFiles);
        }
    }

    public static Result export(LoadedModel model, CalibrationData data, int[] samples, int[] hIndices, Path dir,
                                Options options, LongConsumer progress) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException(".npy export writes the capture buffers as they are and needs a little-endian machine");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--npy " + dir + " is a file: give a folder (it is created when missing)");
        }
        Path created = null;   // the outermost folder this call creates, removed again when the export fails
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) created = p;
        Files.createDirectories(dir);
        try {
            return exportInto(model, data, samples, hIndices, dir, options, progress);
        } catch (IOException | RuntimeException | Error e) {
            if (created != null) removeCreated(dir.toAbsolutePath().normalize(), created, hIndices, e);
            throw e;
        }
    }

    /**
     * Removes what a failed export left in folders it created: the files it may have finished (a later one failed),
     * then each created folder from {@code dir} up to {@code outermost}, all of them empty by then.
     */
    private static void removeCreated(Path dir, Path outermost, int[] hIndices, Throwable failure) {
        try {
            List<String> names = new ArrayList<>(List.of("labels.npy", "token_mask.npy"));
            for (int k : hIndices) names.add("h_" + k + ".npy");
            for (String name : names) Files.deleteIfExists(dir.resolve(name));
            for (Path p = dir; p != null && p.startsWith(outermost); p = p.getParent()) Files.deleteIfExists(p);
        } catch (IOException e) {
            failure.addSuppressed(e);   // the export's own failure is what the user needs to read
        }
    }

    private static Result exportInto(LoadedModel model, CalibrationData data, int[] samples, int[] hIndices, Path dir,
                                     Options options, LongConsumer progress) throws IOException {
        CaptureTarget target = CaptureTarget.of(OnnxLoadedModel.of(model), hIndices);
        int d = Math.toIntExact(target.shape().d());
        int perRun = BatchSizing.forModel(options.batchSize(), model);
        CalibrationInputs inputs = new CalibrationInputs(data, samples, perRun);
        CaptureOptions co = new CaptureOptions(perRun, CapturePass.captureRuntime(options.ortThreads(), options.cudaProvider()),
                target.maskInput());
        NpyWriter[] writers = new NpyWriter[hIndices.length];
        NpyWriter[] maskWriter = new NpyWriter[1];
        int[] tokensSeen = {-1};
        long[] done = {0};
        long t0 = System.nanoTime();
        try (ActivationFloats floats = new ActivationFloats();
             ActivationCapture capture = ActivationCapture.open(target.proto(), target.dataFolder(), target.boundaryNames(), target.shape(), co)) {
            long batches = capture.run(inputs, batch -> {
                int count = batch.count();
                int tokens = batch.tokens();
                if (tokensSeen[0] >= 0 && tokensSeen[0] != tokens && options.tokens() == TokenSelection.ALL) {
                    throw new IllegalArgumentException("batches have " + tokensSeen[0] + " and " + tokens + " tokens: one .npy needs one "
                            + "token count; use --tokens cls or mean, or data padded to one length");
                }
                int rowsPerSample = options.tokens() == TokenSelection.ALL ? tokens : 1;
                TokenMask mask = batch.hasTokenMask() ? TokenMask.fromInt8Segment(count, tokens, batch.tokenMask()) : null;
                try (Arena arena = Arena.ofConfined()) {
                    if (tokensSeen[0] < 0) {
                        tokensSeen[0] = tokens;
                        for (int i = 0; i < writers.length; i++) {
                            writers[i] = NpyWriter.create(dir.resolve("h_" + hIndices[i] + ".npy"), ElementType.FLOAT32,
                                    samples.length, rowsPerSample, d);
                        }
                        if (mask != null && options.tokens() == TokenSelection.ALL) {
                            maskWriter[0] = NpyWriter.create(dir.resolve("token_mask.npy"), ElementType.UINT8, samples.length, tokens);
                        }
                    }
                    long elements = (long) count * tokens * d;
                    for (int i = 0; i < writers.length; i++) {
                        MemorySegment h = floats.asFloat32(i, batch.h(i), batch.elementType(), elements);
                        // ALL keeps every token, padding included, so rows stay [sample, token]; the mask file says which are real
                        MemorySegment rows = options.tokens().select(h, count, tokens, d,
                                options.tokens() == TokenSelection.ALL ? null : mask, arena);
                        writers[i].append(rows);
                    }
                    if (maskWriter[0] != null) maskWriter[0].append(batch.tokenMask().asSlice(0, (long) count * tokens));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done[0] += count;
                if (progress != null) progress.accept(done[0]);
            });
            if (done[0] != samples.length) {
                throw new IllegalStateException("the data served " + done[0] + " of " + samples.length
                        + " samples (skipped images?): the .npy files were not written");
            }
            List<Path> files = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < writers.length; i++) {
                writers[i].finish();
                Path p = dir.resolve("h_" + hIndices[i] + ".npy");
                files.add(p);
                bytes += Files.size(p);
            }
            Path maskPath = null;
            if (maskWriter[0] != null) {
                maskWriter[0].finish();
                maskPath = dir.resolve("token_mask.npy");
            }
            Path labelsPath = null;
            int[] labels = inputs.labels();
            if (labels != null) {
                NdArray arr = NdArray.allocate(ElementType.INT64, labels.length);
                for (int i = 0; i < labels.length; i++) arr.setLong(i, labels[i]);
                labelsPath = dir.resolve("labels.npy");
                Npy.write(labelsPath, arr);
            }
            double total = (System.nanoTime() - t0) / 1e9;
            return new Result(files, labelsPath, maskPath, done[0], options.tokens() == TokenSelection.ALL ? tokensSeen[0] : 1, d,
                    bytes, new CalibrationTimings(0, 0, total, 0, 0, 0, total, batches, 0, 0));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (NpyWriter w : writers) if (w != null) w.close();
            if (maskWriter[0] != null) maskWriter[0].close();
        }
    }
}
