package io.streembit.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streembit.gateway.camel.StreembitComponent;
import io.streembit.gateway.camel.TelemetryHub;
import io.streembit.gateway.commands.CommandExpiry;
import io.streembit.gateway.commands.CommandIntake;
import io.streembit.gateway.commands.CommandOptions;
import io.streembit.gateway.commands.CommandPublisher;
import io.streembit.gateway.commands.CommandResults;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.InFlightLimit;
import io.streembit.gateway.ingest.IngestOptions;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Wires the plain ingest, store and Camel classes into CDI, from {@link GatewayConfig}. */
@ApplicationScoped
public class GatewayBeans {
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    IngestOptions ingestOptions(GatewayConfig config) {
        GatewayConfig.Ingest ingest = config.ingest();
        return new IngestOptions(ingest.pollInterval(), ingest.retryInitial(), ingest.retryMax(), ingest.ackInterval(),
                ingest.gapAlertAfter());
    }

    @Produces
    @Singleton
    InFlightLimit inFlightLimit(GatewayConfig config, MeterRegistry registry) {
        InFlightLimit limit = new InFlightLimit(config.ingest().maxInFlight());
        registry.gauge("streembit.ingest.in.flight", limit, InFlightLimit::inUse);
        registry.gauge("streembit.ingest.waiting", limit, InFlightLimit::waiting);
        return limit;
    }

    @Produces
    @Singleton
    BatchOpener batchOpener(Identity gateway) {
        return new BatchOpener(gateway, FeedEntries.standard());
    }

    @Produces
    @Singleton
    ProblemStore problemStore(DataSource dataSource) {
        return new ProblemStore(dataSource);
    }

    @Produces
    @Singleton
    DeadLetterStore deadLetterStore(DataSource dataSource) {
        return new DeadLetterStore(dataSource);
    }

    @Produces
    @Singleton
    ReadingsWriter readingsWriter(DataSource dataSource, GatewayConfig config, MeterRegistry registry,
                                  CommandResults commandResults, InFlightLimit inFlight) {
        Timer commits = Timer.builder("streembit.sink.postgres.commit")
                .description("one group-commit transaction of the readings sink").register(registry);
        var batches = registry.counter("streembit.sink.postgres.batches");
        var readings = registry.counter("streembit.sink.postgres.readings");
        GatewayConfig.Postgres postgres = config.sinks().postgres();
        return new ReadingsWriter(dataSource, postgres.maxBatchesPerTransaction(), postgres.writers(),
                postgres.commitLinger(), inFlight::inUse, commit -> {
            commits.record(commit.nanos(), TimeUnit.NANOSECONDS);
            batches.increment(commit.batches());
            readings.increment(commit.readings());
        }, commandResults);
    }

    void closeWriter(@Disposes ReadingsWriter writer) throws InterruptedException {
        writer.close();
    }

    @Produces
    @Singleton
    IngestRecorder ingestRecorder(Vertx vertx, ProblemStore problems, MeterRegistry registry, Clock clock) {
        return new IngestRecorder(vertx, problems, registry, clock);
    }

    @Produces
    @Singleton
    TelemetryHub telemetryHub(Vertx vertx, ProblemStore problems) {
        return new TelemetryHub(vertx, problems);
    }

    /** Threads that continue routes after an asynchronous sink step (never the writer's own thread). */
    @Produces
    @Singleton
    @Named("streembitCompletions")
    ExecutorService completions() {
        return Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "streembit-route-completion");
            t.setDaemon(true);
            return t;
        });
    }

    void closeCompletions(@Disposes @Named("streembitCompletions") ExecutorService executor) {
        executor.shutdown();
    }

    @Produces
    @Singleton
    CommandOptions commandOptions(GatewayConfig config) {
        GatewayConfig.Commands c = config.commands();
        if (c.maxTimeout().toSeconds() > RecordLimits.DEFAULTS.maxTtlSeconds()) {
            throw new IllegalArgumentException("streembit.commands.max-timeout is at most "
                    + RecordLimits.DEFAULTS.maxTtlSeconds() + " s, the lifetime of a DHT record");
        }
        return new CommandOptions(c.defaultTimeout(), c.maxTimeout(), c.maxInputBytes(), c.retryInitial(),
                c.retryMax(), c.expiryInterval(), c.dispatchRetry());
    }

    @Produces
    @Singleton
    CommandStore commandStore(DataSource dataSource) {
        return new CommandStore(dataSource);
    }

    @Produces
    @Singleton
    ResultOutbox resultOutbox(CommandStore store, CommandOptions options, Clock clock) {
        return new ResultOutbox(store, options.dispatchRetry(), clock);
    }

    void closeOutbox(@Disposes ResultOutbox outbox) throws InterruptedException {
        outbox.close();
    }

    @Produces
    @Singleton
    CommandResults commandResults(CommandStore store, ResultOutbox outbox, MeterRegistry registry) {
        return new CommandResults(store, closed -> {
            registry.counter("streembit.commands.results").increment(closed.size());
            outbox.wake();
        });
    }

    @Produces
    @Singleton
    CommandPublisher commandPublisher(GatewayNode node, Vertx vertx, CommandStore store, CommandOptions options,
                                      Clock clock, MeterRegistry registry) {
        CommandPublisher publisher = new CommandPublisher(node.node(), node.whenJoined(), vertx,
                node.identity().publicKey(), store, options, clock,
                outcome -> registry.counter("streembit.commands.published", "outcome",
                        outcome.name().toLowerCase(java.util.Locale.ROOT)).increment());
        return publisher;
    }

    void stopPublisher(@Disposes CommandPublisher publisher) {
        publisher.stop();
    }

    @Produces
    @Singleton
    CommandIntake commandIntake(CommandStore store, GatewayNode node, CommandPublisher publisher,
                                CommandOptions options, Clock clock, MeterRegistry registry) {
        return new CommandIntake(store, node.identity(), Commands.standard(), publisher, options, clock,
                (source, outcome) -> registry.counter("streembit.commands.intake", "source", source,
                        "outcome", outcome).increment());
    }

    @Produces
    @Singleton
    CommandExpiry commandExpiry(CommandStore store, CommandOptions options, Clock clock, ResultOutbox outbox,
                                MeterRegistry registry) {
        return new CommandExpiry(store, options.expiryInterval(), clock, expired -> {
            registry.counter("streembit.commands.expired").increment(expired.size());
            outbox.wake();
        });
    }

    void closeExpiry(@Disposes CommandExpiry expiry) {
        expiry.close();
    }

    /** Threads that run the result dispatch routes (a callback POST blocks one). */
    @Produces
    @Singleton
    @Named("streembitDispatchers")
    ExecutorService dispatchers() {
        return Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "streembit-command-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    void closeDispatchers(@Disposes @Named("streembitDispatchers") ExecutorService executor) {
        executor.shutdown();
    }

    @Produces
    @Singleton
    @Named("streembit")
    StreembitComponent streembitComponent(TelemetryHub hub, ReadingsWriter readings, DeadLetterStore deadLetters,
                                          @Named("streembitCompletions") ExecutorService completions,
                                          CommandIntake commands, ResultOutbox outbox,
                                          @Named("streembitDispatchers") ExecutorService dispatchers) {
        return new StreembitComponent(hub, readings, deadLetters, completions, commands, outbox, dispatchers);
    }
}
