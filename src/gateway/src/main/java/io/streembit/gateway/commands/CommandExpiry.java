package io.streembit.gateway.commands;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Expires open commands whose timeout passed, every {@code interval}. A device that comes back
 * later refuses them itself (the sealed command carries its expiry), so EXPIRED is final.
 */
public final class CommandExpiry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommandExpiry.class.getName());

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "streembit-command-expiry");
        t.setDaemon(true);
        return t;
    });

    public CommandExpiry(CommandStore store, Duration interval, Clock clock, Consumer<List<String>> expired) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                List<String> ids = store.expireDue(clock.instant());
                if (!ids.isEmpty()) {
                    expired.accept(ids);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "command expiry: " + e.getMessage(), e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
