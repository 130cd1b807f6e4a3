package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where an external tensor's bytes are: the external_data entries {@code location}, {@code offset},
 * {@code length} and {@code checksum} of a TensorProto with data_location = EXTERNAL.
 *
 * @param tensorName the tensor, for error messages
 * @param location   the data file, relative to the model's folder, as written in the model
 * @param offset     first byte in the file (0 when absent)
 * @param length     number of bytes, or -1 when absent (then the tensor runs to the end of the file)
 * @param checksum   the checksum entry as written, or null; kept for reference, not verified
 */
public record ExternalDataRef(String tensorName, String location, long offset, long length, String checksum) {

    /** Reads the external_data entries of an EXTERNAL tensor; malformed entries are a format error. */
    public static ExternalDataRef of(TensorProto t) {
        String location = null;
        long offset = 0;
        long length = -1;
        String checksum = null;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseCount(t, "offset", e.getValue());
                case "length" -> length = parseCount(t, "length", e.getValue());
                case "checksum" -> checksum = e.getValue();
                default -> { } // ONNX allows other keys ("basepath" from old exporters); they carry no location facts
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' is EXTERNAL but has no 'location' entry; "
                    + "re-export the model with its data file");
        }
        return new ExternalDataRef(t.getName(), location, offset, length, checksum);
    }

    /**
     * The data file resolved against the model's folder. Like ONNX Runtime, absolute locations and locations that
     * leave the folder ({@code ..}) are refused: a model must not make its reader open arbitrary files.
     */
    public Path resolveIn(Path modelFolder) {
        Path rel;
        try {
            rel = Path.of(location);
        } catch (InvalidPathException e) {
            throw new OnnxFormatException("tensor '" + tensorName + "' has an invalid external data location '"
                    + location + "'; the data file must be a plain relative path beside the model", e);
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new OnnxFormatException("tensor '" + tensorName + "' has an absolute external data location '"
                    + location + "'; the data file must be given relative to the model's folder");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new OnnxFormatException("tensor '" + tensorName + "' has external data location '" + location
                        + "' that leaves the model's folder; move the data file beside the model");
            }
        }
        Path folder = modelFolder.toAbsolutePath().normalize();
        Path resolved = folder.resolve(rel).normalize();
        if (!resolved.startsWith(folder) || resolved.equals(folder)) {
            throw new OnnxFormatException("tensor '" + tensorName + "' has external data location '" + location
                    + "' outside the model's folder; move the data file beside the model");
        }
        return resolved;
    }

    private static long parseCount(TensorProto t, String key, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has external data " + key + " '" + value
                    + "' that is not a non-negative integer; re-export the model", e);
        }
    }
}
