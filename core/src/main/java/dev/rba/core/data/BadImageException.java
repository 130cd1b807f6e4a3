package dev.rba.core.data;

/** An image file that could not be decoded; loaders may skip these when asked to. */
public class BadImageException extends InvalidInputException {
    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
