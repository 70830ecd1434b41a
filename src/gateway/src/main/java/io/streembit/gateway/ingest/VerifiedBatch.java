package io.streembit.gateway.ingest;

import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.PublicKey;

import java.time.Instant;
import java.util.List;

/**
 * One feed entry of a served device that passed every check: the record's signature (the DHT
 * layer), the JWE for this gateway written by the device, the hash chain from the cursor, and
 * every reading against the device's Thing Description. Only {@link BatchOpener} constructs it,
 * so a sink holding one cannot have skipped a check.
 */
public final class VerifiedBatch {
    private final String deviceId;
    private final PublicKey publicKey;
    private final long seq;
    private final String tdId;
    private final List<Reading> readings;
    private final String tokenHash;
    private final long publishedAtSeconds;
    private final Instant receivedAt;

    VerifiedBatch(
            String deviceId,
            PublicKey publicKey,
            long seq,
            String tdId,
            List<Reading> readings,
            String tokenHash,
            long publishedAtSeconds,
            Instant receivedAt) {
        this.deviceId = deviceId;
        this.publicKey = publicKey;
        this.seq = seq;
        this.tdId = tdId;
        this.readings = List.copyOf(readings);
        this.tokenHash = tokenHash;
        this.publishedAtSeconds = publishedAtSeconds;
        this.receivedAt = receivedAt;
    }

    /** The device's account (SHA-1 of its public key, 40 hex): its id in the registry. */
    public String deviceId() {
        return deviceId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The feed entry number n (the record's seq). */
    public long seq() {
        return seq;
    }

    /** The id of the Thing Description the readings were validated against. */
    public String tdId() {
        return tdId;
    }

    public List<Reading> readings() {
        return readings;
    }

    /** The chain link of this entry (base64url SHA-256 of its record token): the cursor's hash. */
    public String tokenHash() {
        return tokenHash;
    }

    /** The record's {@code iat}: when the device signed the entry (epoch seconds). */
    public long publishedAtSeconds() {
        return publishedAtSeconds;
    }

    /** When the gateway verified the batch. */
    public Instant receivedAt() {
        return receivedAt;
    }

    @Override
    public String toString() {
        return "VerifiedBatch[" + deviceId + " #" + seq + ", " + readings.size() + " readings]";
    }
}
