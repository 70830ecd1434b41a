package io.streembit.protocol.record;

/**
 * A network's limits on the records its nodes store. The defaults ({@link #DEFAULTS}) are the
 * public network's: 16 KiB per record token, 24 h maximum lifetime, the full 64-byte salt,
 * and 120 s of clock skew tolerated on {@code iat} (the same window as the handshake).
 *
 * @param maxRecordBytes      largest accepted compact JWS, in bytes (ASCII characters)
 * @param maxTtlSeconds       largest accepted {@code exp - now}
 * @param maxSaltBytes        largest accepted salt in UTF-8 bytes, at most {@link RecordKey#MAX_SALT_BYTES}
 * @param maxClockSkewSeconds how far {@code iat} may lie in the storing node's future
 */
public record RecordLimits(int maxRecordBytes, long maxTtlSeconds, int maxSaltBytes, long maxClockSkewSeconds) {
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;
    public static final long DEFAULT_MAX_TTL_SECONDS = 24 * 60 * 60;
    public static final int DEFAULT_MAX_SALT_BYTES = RecordKey.MAX_SALT_BYTES;
    public static final long DEFAULT_MAX_CLOCK_SKEW_SECONDS = 120;

    public static final RecordLimits DEFAULTS = new RecordLimits(
            DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TTL_SECONDS, DEFAULT_MAX_SALT_BYTES, DEFAULT_MAX_CLOCK_SKEW_SECONDS);

    public RecordLimits {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        if (maxTtlSeconds <= 0) {
            throw new IllegalArgumentException("maxTtlSeconds must be positive");
        }
        if (maxSaltBytes < 0 || maxSaltBytes > RecordKey.MAX_SALT_BYTES) {
            throw new IllegalArgumentException("maxSaltBytes must lie in [0, " + RecordKey.MAX_SALT_BYTES + "]");
        }
        if (maxClockSkewSeconds < 0) {
            throw new IllegalArgumentException("maxClockSkewSeconds must not be negative");
        }
    }
}
