package dev.rba.onnx.ir;

/** The graph breaks an ONNX rule (a tensor defined twice, used before it is defined, ...); the message names it. */
public class InvalidGraphException extends RuntimeException {
    public InvalidGraphException(String message) {
        super(message);
    }
}
