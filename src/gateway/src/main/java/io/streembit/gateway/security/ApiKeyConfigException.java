package io.streembit.gateway.security;

/** API keys that cannot be used as configured; the message names where and why, never a key. */
public final class ApiKeyConfigException extends IllegalArgumentException {
    public ApiKeyConfigException(String message) {
        super(message);
    }

    public ApiKeyConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
