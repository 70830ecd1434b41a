package io.streembit.gateway.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which shard a device belongs to: the first 8 bytes of SHA-256 of its id's UTF-8 bytes, read as
 * an unsigned 64-bit number, modulo the shard count S. Device ids are hex SHA-1 of public keys,
 * but nothing here relies on that: SHA-256 spreads any ids evenly and never changes, so a device
 * stays in its shard for the cluster's life (S is fixed when the cluster is created). PostgreSQL
 * computes the same with {@code streembit_shard(id, S)} (migration V3).
 */
public final class Shards {
    private final int count;

    public Shards(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one shard, not " + count);
        }
        this.count = count;
    }

    /** S, the number of shards. */
    public int count() {
        return count;
    }

    /** The shard of {@code deviceId}, in [0, S). */
    public int of(String deviceId) {
        byte[] digest = sha256().digest(deviceId.getBytes(StandardCharsets.UTF_8));
        long head = 0;
        for (int i = 0; i < 8; i++) {
            head = (head << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(head, count);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return count + " shards";
    }
}
