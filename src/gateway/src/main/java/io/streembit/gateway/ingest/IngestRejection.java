package io.streembit.gateway.ingest;

/**
 * A feed entry the gateway refuses. {@code reason} is a stable metric / table value (the
 * protocol's error codes, plus the gateway's own: {@code revoked}, {@code gap}); the detail
 * says what exactly was wrong, for an operator.
 */
public final class IngestRejection extends Exception {
    private final String reason;

    public IngestRejection(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
