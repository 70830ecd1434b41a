package io.streembit.gateway.service;

import java.time.Instant;

/**
 * What the gateway knows of a served device beyond its table row, while it runs: the feed's
 * head as the storing nodes report it, and a delivery that keeps failing (its batch is being
 * retried). Written by the ingest path, read by the status API.
 */
public final class DeviceRuntime {
    private volatile long head;
    private volatile String retrying;
    private volatile Instant retryingSince;

    void head(long seq) {
        if (seq > head) {
            head = seq;
        }
    }

    void failing(String reason, Instant at) {
        if (retrying == null) {
            retryingSince = at;
        }
        retrying = reason;
    }

    void recovered() {
        retrying = null;
        retryingSince = null;
    }

    public long head() {
        return head;
    }

    /** The last delivery failure while a batch is being retried; null when deliveries go through. */
    public String retrying() {
        return retrying;
    }

    public Instant retryingSince() {
        return retryingSince;
    }
}
