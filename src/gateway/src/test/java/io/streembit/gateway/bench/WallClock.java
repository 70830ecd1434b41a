package io.streembit.gateway.bench;

import java.time.Instant;

/**
 * Epoch microseconds from the monotonic clock, anchored once to the wall clock: the same clock
 * PostgreSQL's {@code now()} reads (same machine), without {@code Instant.now()} per publish.
 */
final class WallClock {
    private static final long BASE_MICROS;
    private static final long BASE_NANOS;

    static {
        Instant now = Instant.now();
        BASE_NANOS = System.nanoTime();
        BASE_MICROS = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private WallClock() {}

    static long micros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }
}
