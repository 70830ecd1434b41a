package io.streembit.gateway.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when a test moves it, and the waits scheduled against it (the idea of
 * src/dht's test {@code VirtualScheduler}): {@link #advance} runs the actions that come due on
 * the test's thread, in time order, each at its own time. Safe to schedule on from any thread.
 */
final class VirtualTime extends Clock implements CommandPublisher.Timers {
    private record Timer(Instant at, long seq, Runnable action) {}

    private final List<Timer> timers = new ArrayList<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile Instant now;
    private long seq;

    VirtualTime(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a virtual clock is in UTC");
    }

    @Override
    public synchronized void after(Duration delay, Runnable action) {
        waits.add(delay);
        timers.add(new Timer(now.plus(delay), seq++, action));
    }

    /** Moves the clock by {@code by}, running each wait that ends on the way at its end. */
    void advance(Duration by) {
        Instant until = now.plus(by);
        while (true) {
            Timer due;
            synchronized (this) {
                due = timers.stream()
                        .filter(t -> !t.at().isAfter(until))
                        .min(Comparator.comparing(Timer::at).thenComparingLong(Timer::seq))
                        .orElse(null);
                if (due == null) {
                    now = until;
                    return;
                }
                timers.remove(due);
                now = due.at();
            }
            due.action().run();
        }
    }

    /** Waits scheduled and not over yet. */
    synchronized int pending() {
        return timers.size();
    }

    /** Every wait asked for, in order. */
    List<Duration> waits() {
        return List.copyOf(waits);
    }
}
