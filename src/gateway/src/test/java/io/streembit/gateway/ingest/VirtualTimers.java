package io.streembit.gateway.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest timers on a clock that moves only when the test says so ({@link #advance}): a timer due
 * by then runs on the test's thread, at its own time, in time order (ties in the order they were
 * set). Timers may be set from any thread. The clock starts at the real time, so records signed
 * on it (acks) are valid for a real DHT node, and moves in milliseconds.
 */
final class VirtualTimers implements IngestTimers {
    private record Timer(long id, long at, long period, Runnable action) {}

    private final PriorityQueue<Timer> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.id, b.id));
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private long nextId;

    /** The clock the code under test reads: this scheduler's time. */
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long millis() {
                return now.get();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
    }

    @Override
    public synchronized long setTimer(long delayMillis, Runnable action) {
        return add(delayMillis, 0, action);
    }

    @Override
    public synchronized long setPeriodic(long periodMillis, Runnable action) {
        return add(periodMillis, periodMillis, action);
    }

    private long add(long delayMillis, long period, Runnable action) {
        if (delayMillis < 1) {
            throw new IllegalArgumentException("a Vert.x timer waits at least 1 ms, not " + delayMillis);
        }
        long id = nextId++;
        queue.add(new Timer(id, now.get() + delayMillis, period, action));
        return id;
    }

    @Override
    public synchronized void cancelTimer(long id) {
        queue.removeIf(t -> t.id == id);
    }

    /** Moves the clock by {@code by}, running every timer due on the way (those they set included). */
    void advance(Duration by) {
        long until = now.get() + by.toMillis();
        while (true) {
            Timer due;
            synchronized (this) {
                due = queue.peek();
                if (due == null || due.at > until) {
                    break;
                }
                queue.poll();
                now.set(due.at);
                if (due.period > 0) {
                    queue.add(new Timer(due.id, due.at + due.period, due.period, due.action));
                }
            }
            due.action.run();
        }
        now.set(until);
    }

    /**
     * True once a timer is set to run exactly {@code fromNow} from now: what a test waits for
     * when code on another thread sets it (a retry after a failure) before moving the clock.
     */
    synchronized boolean hasTimerIn(Duration fromNow) {
        long at = now.get() + fromNow.toMillis();
        return queue.stream().anyMatch(t -> t.at == at);
    }

    /** Timers set and not yet run or cancelled. */
    synchronized int pending() {
        return queue.size();
    }
}
