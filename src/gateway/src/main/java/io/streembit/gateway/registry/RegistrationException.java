package io.streembit.gateway.registry;

/**
 * A registration or registry request the gateway refuses. {@code code} is stable (API clients
 * switch on it): a protocol error code for a bad offer or TD, or {@code not-a-device},
 * {@code td-unavailable}, {@code already-registered}, {@code unknown-device}.
 */
public final class RegistrationException extends Exception {
    private final int status;
    private final String code;

    public RegistrationException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
