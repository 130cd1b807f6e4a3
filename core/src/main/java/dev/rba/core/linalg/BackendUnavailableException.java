package dev.rba.core.linalg;

/** An explicitly requested backend cannot be used here; the message carries the loader's or driver's reason. */
public class BackendUnavailableException extends RuntimeException {

    private final String backend;

    public BackendUnavailableException(String backend, String reason, Throwable cause) {
        super("backend '" + backend + "' cannot be used: " + reason, cause);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
