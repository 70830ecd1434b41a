package io.streembit.gateway.camel;

import io.streembit.gateway.commands.CommandIntake;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.ReadingsWriter;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The {@code streembit:} Camel component: the gateway's side of its routes.
 * <ul>
 *   <li>{@code streembit:telemetry}: consumer of every verified batch;</li>
 *   <li>{@code streembit:readings}: producer writing a batch into PostgreSQL with its cursor;</li>
 *   <li>{@code streembit:dead-letter?sink=NAME}: producer keeping what a sink gave up on;</li>
 *   <li>{@code streembit:commands?source=NAME}: producer taking command requests into the queue;</li>
 *   <li>{@code streembit:command-results}: consumer of every closed command's result.</li>
 * </ul>
 * It creates nothing it would have to close: the hub, writer and stores belong to the gateway.
 */
public final class StreembitComponent extends DefaultComponent {
    private final TelemetryHub hub;
    private final ReadingsWriter readings;
    private final DeadLetterStore deadLetters;
    private final Executor completions;
    private final CommandIntake commands;
    private final ResultOutbox outbox;
    private final Executor dispatchers;

    public StreembitComponent(
            TelemetryHub hub,
            ReadingsWriter readings,
            DeadLetterStore deadLetters,
            Executor completions,
            CommandIntake commands,
            ResultOutbox outbox,
            Executor dispatchers) {
        this.hub = hub;
        this.readings = readings;
        this.deadLetters = deadLetters;
        this.completions = completions;
        this.commands = commands;
        this.outbox = outbox;
        this.dispatchers = dispatchers;
    }

    CommandIntake commands() {
        return commands;
    }

    ResultOutbox outbox() {
        return outbox;
    }

    /** Threads that run result dispatch routes (callbacks block on HTTP; telemetry's threads must not). */
    Executor dispatchers() {
        return dispatchers;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StreembitEndpoint.Kind kind = StreembitEndpoint.Kind.fromPath(remaining);
        StreembitEndpoint endpoint = new StreembitEndpoint(uri, this, kind);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    TelemetryHub hub() {
        return hub;
    }

    ReadingsWriter readings() {
        return readings;
    }

    DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /** Where asynchronous completions continue the route, so no route step runs on the writer's thread. */
    Executor completions() {
        return completions;
    }
}
