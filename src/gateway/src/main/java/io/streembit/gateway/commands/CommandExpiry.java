package io.streembit.gateway.commands;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Expires open commands whose timeout passed. A device that comes back later refuses them
 * itself (the sealed command carries its expiry), so EXPIRED is final. One {@link #sweep()} is
 * one pass; who calls it how often is the caller's (in the gateway the scheduler, every
 * {@code streembit.commands.expiry-interval}). It holds no thread.
 */
public final class CommandExpiry {
    private static final Logger LOG = Logger.getLogger(CommandExpiry.class);

    private final CommandStore store;
    private final Clock clock;
    private final Consumer<List<String>> expired;
    private final ReentrantLock pass = new ReentrantLock();
    private volatile boolean closed;

    /** {@code expired} is told the ids of the commands each pass expired (none: not called). */
    public CommandExpiry(CommandStore store, Clock clock, Consumer<List<String>> expired) {
        this.store = store;
        this.clock = clock;
        this.expired = expired;
    }

    /**
     * One pass: expires every open command whose timeout passed at the clock's time, reports them
     * and returns their ids. Returns none without looking when closed, or when a pass is under
     * way (that one covers this one). A failure of PostgreSQL is logged and left to the next pass.
     */
    public List<String> sweep() {
        if (closed || !pass.tryLock()) {
            return List.of();
        }
        try {
            if (closed) { // closed while this pass waited for the lock
                return List.of();
            }
            List<String> ids;
            try {
                ids = store.expireDue(clock.instant());
            } catch (SQLException | RuntimeException e) {
                LOG.debugf(e, "command expiry: %s", e.getMessage());
                return List.of();
            }
            if (!ids.isEmpty()) {
                try {
                    expired.accept(ids);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%d commands expired; telling of it failed", ids.size());
                }
            }
            return ids;
        } finally {
            pass.unlock();
        }
    }

    /**
     * Starts no pass from now on, and waits up to {@code wait} for the pass under way to finish.
     * True when no pass is under way any more.
     */
    public boolean close(Duration wait) throws InterruptedException {
        closed = true;
        if (pass.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            pass.unlock();
            return true;
        }
        return false;
    }
}
