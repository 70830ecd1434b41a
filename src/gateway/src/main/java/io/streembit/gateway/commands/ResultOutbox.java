package io.streembit.gateway.commands;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Sends closed commands' results on (callback, results topic) from the {@code commands} table
 * itself: a result counts as sent only when its dispatch route completed (delivered, or
 * dead-lettered by the route), and {@code dispatched_at} is set after that. So a crash between
 * closing a command and sending its result only delays the result; it may go out twice, never
 * zero times (receivers dedupe on the command id).
 *
 * <p>It holds no thread. One {@link #sendWaiting()} is one pass over the results waiting; the
 * gateway's scheduler runs one every {@code retry} (results left from before a restart, failed
 * dispatches due again), and {@link #wake()} asks for one soon on {@code passes} when commands
 * close. A pass never runs beside another: one asked for while a pass is under way makes that
 * pass read the table once more instead. At most {@value #IN_FLIGHT} dispatches are in flight.
 */
public final class ResultOutbox {
    private static final Logger LOG = Logger.getLogger(ResultOutbox.class);
    static final int PAGE = 256;
    static final int IN_FLIGHT = 64;
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    /** Sends one result; completes with a word for the audit trail, or fails (then it is tried again later). */
    public interface Dispatch {
        CompletionStage<String> send(StoredCommand command);
    }

    private final CommandStore store;
    private final Duration retry;
    private final Clock clock;
    private final Executor passes;
    /** Not before when each result may be sent again: in flight (MAX), failed lately, or just sent. */
    private final Map<String, Instant> busyOrWaiting = new ConcurrentHashMap<>();

    private final AtomicBoolean passAsked = new AtomicBoolean();
    /** Guards the fields below; notified when one changes. */
    private final Object lock = new Object();

    private boolean running;
    private boolean again;
    private int inFlight;
    private volatile boolean closed;
    private volatile Dispatch dispatch;
    private final Predicate<String> serves;

    /**
     * {@code retry}: how long a result whose dispatch failed waits (on {@code clock}) before it
     * is sent again; {@code passes}: where a pass asked for by {@link #wake()} runs.
     */
    public ResultOutbox(CommandStore store, Duration retry, Clock clock, Executor passes) {
        this(store, retry, clock, passes, deviceId -> true);
    }

    /**
     * {@code serves}: whether this replica sends the results of a device's commands (in a cluster,
     * the owner of the device's shard; the others leave them to it).
     */
    public ResultOutbox(CommandStore store, Duration retry, Clock clock, Executor passes, Predicate<String> serves) {
        this.serves = serves;
        this.store = store;
        this.retry = retry;
        this.clock = clock;
        this.passes = passes;
    }

    /** The route that sends results (the {@code streembit:command-results} consumer); null detaches. */
    public void attach(Dispatch dispatch) {
        this.dispatch = dispatch;
        wake();
    }

    /**
     * Commands were closed: a pass soon rather than at the next period. Calls before that pass
     * starts are one call.
     */
    public void wake() {
        if (closed || !passAsked.compareAndSet(false, true)) {
            return;
        }
        try {
            passes.execute(() -> {
                passAsked.set(false);
                sendWaiting();
            });
        } catch (RejectedExecutionException e) {
            passAsked.set(false); // shutting down: the results wait in the table for the next start
            LOG.debugf("results outbox: no pass now (%s)", e.getMessage());
        }
    }

    /**
     * One pass: sends every result waiting that is neither in flight nor failed less than
     * {@code retry} ago, oldest first, one page of the table. Waits (at most {@code retry}) while
     * {@value #IN_FLIGHT} dispatches are in flight. Does nothing without a dispatch route, or when
     * closed. A failure of PostgreSQL is logged and left to the next pass.
     */
    public void sendWaiting() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (running) {
                again = true;
                return;
            }
            running = true;
        }
        boolean finished = false;
        try {
            while (true) {
                sendPage();
                synchronized (lock) {
                    if (!again || closed) {
                        running = false;
                        finished = true;
                        lock.notifyAll();
                        return;
                    }
                    again = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!finished) {
                synchronized (lock) {
                    running = false;
                    lock.notifyAll();
                }
            }
        }
    }

    private void sendPage() throws InterruptedException {
        if (dispatch == null) {
            return;
        }
        Instant now = clock.instant();
        busyOrWaiting.values().removeIf(until -> until.isBefore(now.minus(FORGET_AFTER)));
        List<StoredCommand> waiting;
        try {
            waiting = store.undispatched(PAGE);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(e, "results outbox: %s", e.getMessage());
            return;
        }
        for (StoredCommand command : waiting) {
            Instant notBefore = busyOrWaiting.get(command.id());
            if (notBefore != null && now.isBefore(notBefore)) {
                continue; // in flight, or failed recently
            }
            if (!serves.test(command.deviceId())) {
                continue; // another replica owns the device's shard and sends its results
            }
            Dispatch target = dispatch;
            if (target == null || !takeSlot()) {
                return;
            }
            busyOrWaiting.put(command.id(), Instant.MAX);
            CompletionStage<String> sent;
            try {
                sent = target.send(command);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((detail, failure) -> finished(command, detail, failure));
        }
    }

    /** A place among the dispatches in flight, waiting for one at most {@code retry}; false when closed. */
    private boolean takeSlot() throws InterruptedException {
        long deadline = System.nanoTime() + retry.toNanos();
        synchronized (lock) {
            while (inFlight >= IN_FLIGHT && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            if (closed) {
                return false;
            }
            inFlight++;
            return true;
        }
    }

    private void finished(StoredCommand command, String detail, Throwable failure) {
        try {
            if (failure == null) {
                store.markDispatched(command.id(), detail, clock.instant());
                // a page read before this commit may still list it: not again for a while
                busyOrWaiting.put(command.id(), clock.instant().plus(FORGET_AFTER));
            } else {
                LOG.debugf(failure, "result of %s not sent, again in %s", command.id(), retry);
                busyOrWaiting.put(command.id(), clock.instant().plus(retry));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(
                    e, "result of %s sent, not recorded (%s): sent again in %s", command.id(), e.getMessage(), retry);
            busyOrWaiting.put(command.id(), clock.instant().plus(retry));
        } finally {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Starts no pass and no dispatch from now on, and waits up to {@code wait} for the pass under
     * way and the dispatches in flight to finish; the outcome of each is still recorded. True when
     * nothing was left under way. Results not sent stay in the table for the next start.
     */
    public boolean close(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            closed = true;
            lock.notifyAll(); // a pass waiting for a place in flight gives up
            while (running || inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}
