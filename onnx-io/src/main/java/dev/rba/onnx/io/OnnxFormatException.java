package dev.rba.onnx.io;

/**
 * A model file, or the external data it points to, cannot be used as an ONNX model. The message is one line that
 * names the file (and the tensor, where one is involved) and says what to do, so the CLI can print it as is.
 */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
