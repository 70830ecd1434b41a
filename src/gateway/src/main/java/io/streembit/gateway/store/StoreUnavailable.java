package io.streembit.gateway.store;

/** PostgreSQL refused or could not take a write; the caller retries later. */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
