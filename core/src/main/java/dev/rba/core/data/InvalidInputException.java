package dev.rba.core.data;

/**
 * Calibration data the user gave cannot be used as it is. The message is one line that names the file, array or
 * model input and says what to do; the CLI prints it and exits with the bad-input code.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
