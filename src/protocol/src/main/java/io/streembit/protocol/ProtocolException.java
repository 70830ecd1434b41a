package io.streembit.protocol;

/**
 * The one exception type of the protocol module: every parser and verifier fails with it, and
 * its {@link #code()} says precisely why. Messages never contain key material.
 */
public class ProtocolException extends Exception {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(code.code() + ": " + message);
        this.code = code;
    }

    public ProtocolException(ErrorCode code, String message, Throwable cause) {
        super(code.code() + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
