package io.streembit.gateway.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.streembit.gateway.camel.CursorCommitChooser;
import io.streembit.gateway.camel.SinkMetrics;
import io.streembit.gateway.camel.StreembitComponent;
import io.streembit.gateway.camel.TelemetryHub;
import io.streembit.gateway.commands.CommandIntake;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.config.RenamedSettings;
import io.streembit.gateway.config.RouteProperties;
import io.streembit.gateway.config.SettingsCheck;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.ReadingsWriter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.spi.CamelContextCustomizer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code streembit:} Camel component and what the routes need before they start: the
 * telemetry hub, the threads that continue routes, the per-sink figures, the choice of who
 * commits cursors, and the properties the routes' placeholders read ({@link RouteProperties}).
 */
@ApplicationScoped
public class CamelWiring {
    private static final Logger LOG = Logger.getLogger(CamelWiring.class);

    @Produces
    @Singleton
    TelemetryHub telemetryHub(Vertx vertx, DeviceCursors cursors) {
        return new TelemetryHub(vertx, cursors);
    }

    /** Threads that continue routes after an asynchronous sink step (never the writer's own thread). */
    @Produces
    @Singleton
    @Named("streembitCompletions")
    ExecutorService completions() {
        return Executors.newFixedThreadPool(2, daemon("streembit-route-completion"));
    }

    void closeCompletions(@Disposes @Named("streembitCompletions") ExecutorService executor)
            throws InterruptedException {
        stop(executor);
    }

    /** Threads that run the result dispatch routes (a callback POST blocks one). */
    @Produces
    @Singleton
    @Named("streembitDispatchers")
    ExecutorService dispatchers() {
        return Executors.newFixedThreadPool(8, daemon("streembit-command-dispatch"));
    }

    void closeDispatchers(@Disposes @Named("streembitDispatchers") ExecutorService executor)
            throws InterruptedException {
        stop(executor);
    }

    @Produces
    @Singleton
    @Named("streembit")
    StreembitComponent streembitComponent(
            TelemetryHub hub,
            ReadingsWriter readings,
            DeadLetterStore deadLetters,
            @Named("streembitCompletions") ExecutorService completions,
            CommandIntake commands,
            ResultOutbox outbox,
            @Named("streembitDispatchers") ExecutorService dispatchers) {
        return new StreembitComponent(hub, readings, deadLetters, completions, commands, outbox, dispatchers);
    }

    /**
     * Prepares the Camel context before its routes start: the properties the routes read, derived
     * from the settings in {@link RouteProperties}, as override properties (they win over a
     * configured property of the same name, such as an old {@code ...-ms} setting).
     *
     * <p>Camel Quarkus builds its context before anything else of the gateway starts (the routes
     * start the DHT node, the writer and the followers), so the settings are checked here: a bad
     * one stops the start before anything has used it.
     */
    @Produces
    @Singleton
    @Unremovable // looked up by Camel Quarkus at run time, so ArC would otherwise drop it as unused
    CamelContextCustomizer streembitSetup(MeterRegistry registry, GatewayConfig config, Config raw, TelemetryHub hub) {
        try {
            SettingsCheck.require(config);
        } catch (SettingsCheck.InvalidSettings e) {
            LOG.error(e.getMessage()); // one line, before Quarkus' stack trace
            throw e;
        }
        RenamedSettings.warnings(raw).forEach(LOG::warn);
        Map<String, String> routeProperties = RouteProperties.of(config);
        LOG.debugf("properties the routes read: %s", routeProperties);
        return context -> {
            context.getManagementStrategy().addEventNotifier(new SinkMetrics(registry));
            context.getManagementStrategy().addEventNotifier(new CursorCommitChooser(hub));
            routeProperties.forEach(context.getPropertiesComponent()::addOverrideProperty);
        };
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Lets the tasks under way finish (a route's last step, a callback POST), then stops. */
    private static void stop(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
