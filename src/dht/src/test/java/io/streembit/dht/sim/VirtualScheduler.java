package io.streembit.dht.sim;

import io.vertx.core.Future;

import java.util.PriorityQueue;

/**
 * A discrete-event loop with a virtual clock in microseconds: actions run one at a time, in
 * time order (ties in scheduling order), on the caller's thread. Completing a Vert.x promise
 * here runs its listeners at once, on this thread, because no Vert.x context is involved.
 */
final class VirtualScheduler {
    private record Event(long at, long seq, Runnable action) {}

    private final PriorityQueue<Event> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    private long executed;

    long nowMicros() {
        return now;
    }

    /** Runs {@code action} {@code delayMicros} from now. */
    void after(long delayMicros, Runnable action) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("negative delay " + delayMicros);
        }
        queue.add(new Event(now + delayMicros, seq++, action));
    }

    /** Runs events until {@code future} completes; fails if the queue runs dry first. */
    <T> T runUntil(Future<T> future) {
        while (!future.isComplete()) {
            if (!step()) {
                throw new IllegalStateException("no events left but the awaited future is not complete");
            }
        }
        if (future.failed()) {
            throw new IllegalStateException("simulated operation failed", future.cause());
        }
        return future.result();
    }

    /** Runs every pending event, including those they schedule. */
    void drain() {
        while (step()) {
            // keep going
        }
    }

    private boolean step() {
        Event event = queue.poll();
        if (event == null) {
            return false;
        }
        now = event.at;
        executed++;
        event.action.run();
        return true;
    }

    long executedEvents() {
        return executed;
    }
}
