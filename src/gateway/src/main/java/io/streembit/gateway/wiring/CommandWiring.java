package io.streembit.gateway.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.cluster.ClusterMode;
import io.streembit.gateway.commands.CommandExpiry;
import io.streembit.gateway.commands.CommandIntake;
import io.streembit.gateway.commands.CommandMetrics;
import io.streembit.gateway.commands.CommandOptions;
import io.streembit.gateway.commands.CommandPublisher;
import io.streembit.gateway.commands.CommandResults;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.store.Fence;
import io.streembit.protocol.feed.Commands;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Clock;

/** Commands: the store, the intake, publication into the DHT, results, expiry and the results outbox. */
@ApplicationScoped
public class CommandWiring {
    /** From settings checked at start (config.SettingsCheck: max-timeout at most a DHT record's lifetime). */
    @Produces
    @Singleton
    CommandOptions commandOptions(GatewayConfig config) {
        GatewayConfig.Commands c = config.commands();
        return new CommandOptions(
                c.defaultTimeout(),
                c.maxTimeout(),
                c.maxInputBytes(),
                c.retryInitial(),
                c.retryMax(),
                c.expiryInterval(),
                c.dispatchRetry());
    }

    @Produces
    @Singleton
    CommandMetrics commandMetrics(MeterRegistry registry) {
        return new CommandMetrics(registry);
    }

    @Produces
    @Singleton
    CommandStore commandStore(DataSource dataSource, Fence fence) {
        return new CommandStore(dataSource, fence);
    }

    /**
     * A pass asked for by {@link ResultOutbox#wake()} runs on Quarkus' worker pool; the periodic
     * passes and the shutdown are {@link io.streembit.gateway.service.CommandSchedule}'s.
     */
    @Produces
    @Singleton
    ResultOutbox resultOutbox(
            CommandStore store, CommandOptions options, Clock clock, Vertx vertx, ClusterMode cluster) {
        return new ResultOutbox(
                store,
                options.dispatchRetry(),
                clock,
                pass -> vertx.executeBlocking(
                        () -> {
                            pass.run();
                            return null;
                        },
                        false),
                cluster::serves);
    }

    @Produces
    @Singleton
    CommandResults commandResults(CommandStore store, ResultOutbox outbox, CommandMetrics metrics) {
        return new CommandResults(store, closed -> {
            metrics.results(closed.size());
            outbox.wake();
        });
    }

    @Produces
    @Singleton
    CommandPublisher commandPublisher(
            GatewayNode node,
            Vertx vertx,
            CommandStore store,
            CommandOptions options,
            Clock clock,
            CommandMetrics metrics) {
        return new CommandPublisher(
                node.node(),
                node.whenJoined(),
                vertx,
                node.identity().publicKey(),
                store,
                options,
                clock,
                metrics::published);
    }

    void stopPublisher(@Disposes CommandPublisher publisher) {
        publisher.stop();
    }

    /** In a cluster the intake of any replica stores a command; only its device's owner publishes it. */
    @Produces
    @Singleton
    CommandIntake commandIntake(
            CommandStore store,
            GatewayNode node,
            CommandPublisher publisher,
            CommandOptions options,
            Clock clock,
            CommandMetrics metrics,
            ClusterMode cluster) {
        return new CommandIntake(
                store,
                node.identity(),
                Commands.standard(),
                command -> {
                    if (cluster.serves(command.deviceId())) {
                        publisher.submit(command);
                    }
                },
                options,
                clock,
                metrics::intake);
    }

    /** Its passes and its shutdown are {@link io.streembit.gateway.service.CommandSchedule}'s. */
    @Produces
    @Singleton
    CommandExpiry commandExpiry(CommandStore store, Clock clock, ResultOutbox outbox, CommandMetrics metrics) {
        return new CommandExpiry(store, clock, expired -> {
            metrics.expired(expired.size());
            outbox.wake();
        });
    }
}
