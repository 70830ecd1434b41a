package io.streembit.dht.store;

/**
 * How much a storing node keeps. Per log key, past either bound the oldest entries (lowest seq)
 * are dropped first; every entry also goes once its own {@code exp} passes. Across keys, the
 * budgets below bound the whole store and each publisher's share of it (a key belongs to one
 * publisher: it derives from the publisher's key and a salt, so "per publisher" is also "per
 * signer"). Sizes are token bytes; a stored record costs the heap about 1.75 times its token (the
 * token, plus its parsed payload: 26.5 KB for a 15 KB token, docs/benchmarks.md, DHT hardening),
 * so the default total is about 115 MiB of heap, within a seed's 256 MiB.
 *
 * @param maxEntriesPerLog   entries kept per log key (default 10,000)
 * @param maxBytesPerLog     token bytes kept per log key (default 16 MiB)
 * @param maxKeys            keys a node stores in all; a STORE of a new key beyond it is refused (default 1,000,000)
 * @param maxBytes           token bytes a node stores in all (default 64 MiB); past it the keys
 *                           farthest from the node's id make room for a closer one, else the
 *                           STORE is refused {@code too-large}
 * @param maxBytesPerSigner  token bytes of one publisher's records (default 20 MiB: one full log
 *                           of 16 MiB and its slots)
 * @param maxKeysPerSigner   keys of one publisher (default 100,000)
 */
public record RetentionLimits(
        int maxEntriesPerLog,
        long maxBytesPerLog,
        int maxKeys,
        long maxBytes,
        long maxBytesPerSigner,
        int maxKeysPerSigner) {
    public static RetentionLimits defaults() {
        return new RetentionLimits(10_000, 16L << 20, 1_000_000, 64L << 20, 20L << 20, 100_000);
    }

    public RetentionLimits withMaxBytes(long value) {
        return new RetentionLimits(
                maxEntriesPerLog, maxBytesPerLog, maxKeys, value, maxBytesPerSigner, maxKeysPerSigner);
    }

    public RetentionLimits withPerSigner(long bytes, int keys) {
        return new RetentionLimits(maxEntriesPerLog, maxBytesPerLog, maxKeys, maxBytes, bytes, keys);
    }
}
