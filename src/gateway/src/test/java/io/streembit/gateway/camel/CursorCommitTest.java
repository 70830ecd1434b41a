package io.streembit.gateway.camel;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.Things;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.CommitStep;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.store.WriterClock;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Vertx;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who commits a device's cursor is decided once, from the routes that started, and each way
 * keeps its promise: a real Camel context with the {@code streembit:} component, on a real
 * PostgreSQL.
 */
class CursorCommitTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final List<Reading> READINGS =
            List.of(new Reading("temperature", 1_764_000_000_000L, DoubleNode.valueOf(21.5)));

    private static PGSimpleDataSource dataSource;
    private static Vertx vertx;
    private static ExecutorService completions;

    @BeforeAll
    static void start() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
        vertx = Vertx.vertx();
        completions = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        completions.shutdownNow();
        vertx.close();
    }

    @Test
    void routesWithTheReadingsSinkLeaveTheCursorToIt() throws Exception {
        try (Gateway gateway = new Gateway(new RouteBuilder() {
            @Override
            public void configure() {
                from("streembit:telemetry").to("direct:postgres");
                from("direct:postgres").to("streembit:readings");
            }
        })) {
            assertThat(gateway.hub.attached()).isTrue();
            assertThat(CursorCommitChooser.choose(gateway.context)).isEqualTo(CursorCommit.READINGS_SINK);
            VerifiedBatch batch = registeredBatch();
            gateway.hub.deliver(batch).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            assertThat(GatewaySchema.cursor(dataSource, batch.deviceId())).isEqualTo(1);
            assertThat(GatewaySchema.readings(dataSource, batch.deviceId())).isEqualTo(1);
        }
    }

    @Test
    void anExchangeThatSkipsTheReadingsSinkIsRefusedAndTheCursorStays() throws Exception {
        try (Gateway gateway = new Gateway(new RouteBuilder() {
            @Override
            public void configure() {
                // a route that ends early for this device: committing the cursor would skip its readings
                from("streembit:telemetry").filter(constant(false)).to("streembit:readings");
            }
        })) {
            VerifiedBatch batch = registeredBatch();
            assertThatThrownBy(() -> gateway.hub
                            .deliver(batch)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TelemetryHub.ReadingsSkipped.class);
            assertThat(GatewaySchema.cursor(dataSource, batch.deviceId())).isZero();
        }
    }

    @Test
    void routesWithoutTheReadingsSinkHaveTheGatewayCommitTheCursorAfterTheRoute() throws Exception {
        try (Gateway gateway = new Gateway(new RouteBuilder() {
            @Override
            public void configure() {
                from("streembit:telemetry").to("direct:elsewhere");
                from("direct:elsewhere").setHeader("seen", constant(true));
            }
        })) {
            assertThat(CursorCommitChooser.choose(gateway.context)).isEqualTo(CursorCommit.AFTER_ROUTE);
            VerifiedBatch batch = registeredBatch();
            gateway.hub.deliver(batch).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            assertThat(GatewaySchema.cursor(dataSource, batch.deviceId())).isEqualTo(1);
            assertThat(GatewaySchema.readings(dataSource, batch.deviceId())).isZero();
        }
    }

    @Test
    void beforeTheRoutesStartBatchesAreRefusedNotLost() throws Exception {
        TelemetryHub hub = new TelemetryHub(vertx, new DeviceCursors(dataSource));
        VerifiedBatch batch = registeredBatch();
        assertThat(hub.attached()).isFalse();
        assertThatThrownBy(() -> hub.deliver(batch)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(15, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TelemetryHub.NoTelemetryRoute.class);
        assertThat(GatewaySchema.cursor(dataSource, batch.deviceId())).isZero();
        assertThat(hub.whenDeliverable().toCompletableFuture()).isNotDone();
    }

    @Test
    void followersAreToldWhenBatchesCanFirstGoThroughSoTheyDoNotStartIntoTheRetryBackOff() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Gateway gateway = new Gateway(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("streembit:telemetry").to("streembit:readings");
                    }
                },
                hub -> hub.whenDeliverable().thenRun(() -> seen.add("deliverable, attached=" + hub.attached())))) {
            assertThat(gateway.hub.whenDeliverable().toCompletableFuture()).isDone();
            assertThat(seen).containsExactly("deliverable, attached=true");
        }
    }

    /** The gateway's Camel side around {@code routes}, started the way the gateway starts it. */
    private static final class Gateway implements AutoCloseable {
        final TelemetryHub hub;
        final DefaultCamelContext context = new DefaultCamelContext();
        final ReadingsWriter writer;

        Gateway(RouteBuilder routes) throws Exception {
            this(routes, hub -> {});
        }

        /** {@code beforeStart} sees the hub before the routes start, as the gateway's services do. */
        Gateway(RouteBuilder routes, java.util.function.Consumer<TelemetryHub> beforeStart) throws Exception {
            DeviceCursors cursors = new DeviceCursors(dataSource);
            hub = new TelemetryHub(vertx, cursors);
            beforeStart.accept(hub);
            writer = new ReadingsWriter(
                    dataSource,
                    cursors,
                    new ReadingsWriter.Settings(16, 1, Duration.ZERO),
                    () -> 1,
                    c -> {},
                    CommitStep.NONE,
                    WriterClock.SYSTEM);
            context.addComponent(
                    "streembit", new StreembitComponent(hub, writer, null, completions, null, null, completions));
            context.getManagementStrategy().addEventNotifier(new CursorCommitChooser(hub));
            context.addRoutes(routes);
            context.start();
        }

        @Override
        public void close() throws Exception {
            context.stop();
            writer.close();
        }
    }

    private static VerifiedBatch registeredBatch() throws Exception {
        Identity device = Identity.generate(RANDOM);
        var td = Things.forDevice("thermostat", device.account());
        GatewaySchema.register(dataSource, device, td.id());
        return TestBatches.batch(device, GATEWAY, td, READINGS, NOW);
    }
}
