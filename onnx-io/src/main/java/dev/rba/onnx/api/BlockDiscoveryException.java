package dev.rba.onnx.api;

/** Block discovery could not find, or could not accept, the blocks of a model; the message is one line for the user. */
public final class BlockDiscoveryException extends RuntimeException {
    public BlockDiscoveryException(String message) {
        super(message);
    }

    public BlockDiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
