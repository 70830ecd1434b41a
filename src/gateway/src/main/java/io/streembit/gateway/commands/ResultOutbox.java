package io.streembit.gateway.commands;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends closed commands' results on (callback, results topic) from the {@code commands} table
 * itself: a result counts as sent only when its dispatch route completed (delivered, or
 * dead-lettered by the route), and {@code dispatched_at} is set after that. So a crash between
 * closing a command and sending its result only delays the result; it may go out twice, never
 * zero times (receivers dedupe on the command id). Woken when commands close; also looks
 * every {@code retry} for results still waiting (after a restart, or a failed dispatch).
 */
public final class ResultOutbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ResultOutbox.class.getName());
    private static final int PAGE = 256;
    private static final int IN_FLIGHT = 64;
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    /** Sends one result; completes with a word for the audit trail, or fails (then it is tried again later). */
    public interface Dispatch {
        CompletionStage<String> send(StoredCommand command);
    }

    private final CommandStore store;
    private final Duration retry;
    private final Clock clock;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final Map<String, Instant> busyOrWaiting = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final Thread thread;
    private volatile Dispatch dispatch;
    private volatile boolean woken;
    private volatile boolean closed;

    public ResultOutbox(CommandStore store, Duration retry, Clock clock) {
        this.store = store;
        this.retry = retry;
        this.clock = clock;
        this.thread = new Thread(this::run, "streembit-command-results");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The route that sends results (the {@code streembit:command-results} consumer); null detaches. */
    public void attach(Dispatch dispatch) {
        this.dispatch = dispatch;
        wake();
    }

    /** Commands were closed: look now rather than at the next period. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                synchronized (signal) {
                    if (!woken) {
                        signal.wait(Math.max(50, retry.toMillis()));
                    }
                    woken = false;
                }
                if (dispatch != null) {
                    sendWaiting();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "results outbox: " + e.getMessage(), e);
            }
        }
    }

    private void sendWaiting() throws SQLException, InterruptedException {
        Instant now = clock.instant();
        busyOrWaiting.values().removeIf(until -> until.isBefore(now.minus(FORGET_AFTER)));
        List<StoredCommand> waiting = store.undispatched(PAGE);
        for (StoredCommand command : waiting) {
            Instant notBefore = busyOrWaiting.get(command.id());
            if (notBefore != null && now.isBefore(notBefore)) {
                continue; // in flight, or failed recently
            }
            Dispatch target = dispatch;
            if (target == null || closed) {
                return;
            }
            if (!permits.tryAcquire(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            busyOrWaiting.put(command.id(), Instant.MAX);
            CompletionStage<String> sent;
            try {
                sent = target.send(command);
            } catch (RuntimeException e) {
                sent = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((detail, failure) -> {
                try {
                    if (failure == null) {
                        store.markDispatched(command.id(), detail, clock.instant());
                        // a page read before this commit may still list it: not again for a while
                        busyOrWaiting.put(command.id(), clock.instant().plus(FORGET_AFTER));
                    } else {
                        LOG.log(Level.FINE, "result of " + command.id() + " not sent, again in " + retry, failure);
                        busyOrWaiting.put(command.id(), clock.instant().plus(retry));
                    }
                } catch (SQLException e) {
                    busyOrWaiting.put(command.id(), clock.instant().plus(retry));
                } finally {
                    permits.release();
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        wake();
        thread.join(5_000);
    }
}
