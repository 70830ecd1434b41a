package io.streembit.gateway.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.streembit.gateway.commands.CommandExpiry;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The commands' timers, on Quarkus' scheduler: the expiry sweep every
 * {@code streembit.commands.expiry-interval}, and a pass of the results outbox every
 * {@code streembit.commands.dispatch-retry} (results left from before a start, dispatches that
 * failed and are due again; a closing command wakes the outbox sooner). Neither runs beside
 * itself: a pass still under way when the next is due skips that one. The scheduler ticks once
 * a second and each tick asks whether a period has passed, so the periods are the settings'
 * {@code Duration}s as SmallRye Config read them ({@code 10}, {@code 10s}, {@code PT10S}: the
 * scheduler's own expression syntax would refuse a bare number), and one below a second is a second.
 *
 * <p>At shutdown no pass starts any more, and the passes under way and the result dispatches in
 * flight get up to {@link #STOP_WAIT} to finish and be recorded; whatever is left stays in the
 * table for the next start.
 */
@ApplicationScoped
public class CommandSchedule {
    private static final Logger LOG = Logger.getLogger(CommandSchedule.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Inject
    CommandExpiry expiry;

    @Inject
    ResultOutbox outbox;

    @Inject
    GatewayConfig config;

    @Inject
    Clock clock;

    private Instant nextExpiry = Instant.MIN;
    private Instant nextResults = Instant.MIN;

    @Scheduled(
            identity = "streembit-command-expiry",
            every = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void expire() {
        Instant now = clock.instant();
        if (now.isBefore(nextExpiry)) {
            return;
        }
        nextExpiry = now.plus(config.commands().expiryInterval());
        expiry.sweep();
    }

    @Scheduled(
            identity = "streembit-command-results",
            every = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendResults() {
        Instant now = clock.instant();
        if (now.isBefore(nextResults)) {
            return;
        }
        nextResults = now.plus(config.commands().dispatchRetry());
        outbox.sendWaiting();
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            if (!expiry.close(STOP_WAIT)) {
                LOG.warnf("the command expiry sweep did not finish within %s", STOP_WAIT);
            }
            if (!outbox.close(STOP_WAIT)) {
                LOG.warnf("results still being sent after %s: they are sent again at the next start", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
