package io.streembit.dht.transport;

/**
 * Why an RPC to a peer failed: {@link #code()} is "timeout", "closed", "unreachable",
 * "too-large" or the error code the peer answered with (e.g. "seq-too-low").
 */
public final class RpcException extends Exception {
    public static final String TIMEOUT = "timeout";
    public static final String CLOSED = "closed";
    public static final String UNREACHABLE = "unreachable";

    private final String code;

    public RpcException(String code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** True when the peer answered (with an error), false when it did not answer at all. */
    public boolean answered() {
        return !TIMEOUT.equals(code) && !CLOSED.equals(code) && !UNREACHABLE.equals(code);
    }
}
