package io.streembit.gateway.ingest;

import io.vertx.core.Vertx;

/**
 * The ingest's waits: a follower's retry back-off and head checks, an ack publisher's interval.
 * In the gateway they are Vert.x timers ({@link #of}); unit tests run them on a clock they move
 * themselves, so back-off, gap alerts and ack coalescing are checked without sleeping.
 */
interface IngestTimers {
    /** Runs {@code action} once after {@code delayMillis} (at least 1); returns the timer's id. */
    long setTimer(long delayMillis, Runnable action);

    /** Runs {@code action} every {@code periodMillis} (at least 1) until cancelled; returns the timer's id. */
    long setPeriodic(long periodMillis, Runnable action);

    /** Cancels a timer; an unknown id (such as -1, "none") is ignored. */
    void cancelTimer(long id);

    /** Vert.x timers, as {@link Vertx#setTimer} and {@link Vertx#setPeriodic} run them. */
    static IngestTimers of(Vertx vertx) {
        return new IngestTimers() {
            @Override
            public long setTimer(long delayMillis, Runnable action) {
                return vertx.setTimer(delayMillis, id -> action.run());
            }

            @Override
            public long setPeriodic(long periodMillis, Runnable action) {
                return vertx.setPeriodic(periodMillis, id -> action.run());
            }

            @Override
            public void cancelTimer(long id) {
                vertx.cancelTimer(id);
            }
        };
    }
}
