package io.streembit.gateway.ingest;

/**
 * This gateway replica may no longer write for the device (another replica owns it now): trying
 * again cannot succeed, so a follower that meets it stops instead of retrying. The store's
 * {@code Fenced} is the one kind there is.
 */
public abstract class NoLongerServed extends RuntimeException {
    protected NoLongerServed(String message) {
        super(message);
    }
}
