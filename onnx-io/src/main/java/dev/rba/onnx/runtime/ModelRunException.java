package dev.rba.onnx.runtime;

/** A model could not be loaded or run by ONNX Runtime, or was given unusable inputs. One-line message. */
public class ModelRunException extends RuntimeException {
    public ModelRunException(String message) {
        super(message);
    }

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
