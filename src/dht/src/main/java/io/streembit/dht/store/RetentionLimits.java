package io.streembit.dht.store;

/**
 * How much of a log a storing node keeps per key. Past either bound the oldest entries (lowest
 * seq) are dropped first; every entry also goes once its own {@code exp} passes.
 *
 * @param maxEntriesPerLog entries kept per log key (default 10,000)
 * @param maxBytesPerLog   token bytes kept per log key (default 16 MiB)
 * @param maxKeys          keys a node stores in all; a STORE of a new key beyond it is refused (default 1,000,000)
 */
public record RetentionLimits(int maxEntriesPerLog, long maxBytesPerLog, int maxKeys) {
    public static RetentionLimits defaults() {
        return new RetentionLimits(10_000, 16L << 20, 1_000_000);
    }
}
