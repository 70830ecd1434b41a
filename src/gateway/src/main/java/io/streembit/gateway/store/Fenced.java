package io.streembit.gateway.store;

import io.streembit.gateway.ingest.NoLongerServed;

/**
 * PostgreSQL refused a write for a device because this replica no longer holds the device's
 * shard at its current epoch ({@link Fence}): another replica was granted the shard since. The
 * write did not happen; it must not be retried here.
 */
public final class Fenced extends NoLongerServed {
    private final String deviceId;

    public Fenced(String deviceId) {
        super("device " + deviceId + ": its shard was granted to another replica; write refused");
        this.deviceId = deviceId;
    }

    public String deviceId() {
        return deviceId;
    }
}
