package io.streembit.gateway.commands;

/**
 * A command the gateway will not take, with a stable code API clients switch on and the HTTP
 * status the REST intake answers. Nothing was stored when this is thrown.
 */
public final class CommandRefused extends Exception {
    public enum Reason {
        /** The request is not a command request (not JSON, unknown or mistyped members). */
        MALFORMED("malformed-command", 400),
        /** The caller's allow-list does not admit the device. */
        NOT_ALLOWED("not-allowed", 403),
        /** No device with that id is registered. */
        UNKNOWN_DEVICE("unknown-device", 404),
        /** The device was revoked: it is no longer served. */
        DEVICE_REVOKED("device-revoked", 409),
        /** The caller used its correlation id before, for a different command. */
        CORRELATION_REUSED("correlation-id-reused", 409),
        /** The action is not one of the device's Thing Description. */
        UNKNOWN_ACTION("unknown-action", 422),
        /** The input does not match the action's input schema. */
        INVALID_INPUT("invalid-input", 422);

        private final String code;
        private final int status;

        Reason(String code, int status) {
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public CommandRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
