package io.streembit.gateway.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.InFlightLimit;
import io.streembit.gateway.ingest.IngestOptions;
import io.streembit.gateway.service.IngestRecorder;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The ingest: options, the in-flight bound, the batch opener and the recorder of what happens. */
@ApplicationScoped
public class IngestWiring {
    @Produces
    @Singleton
    IngestOptions ingestOptions(GatewayConfig config) {
        GatewayConfig.Ingest ingest = config.ingest();
        return new IngestOptions(
                ingest.pollInterval(),
                ingest.retryInitial(),
                ingest.retryMax(),
                ingest.ackInterval(),
                ingest.gapAlertAfter());
    }

    @Produces
    @Singleton
    InFlightLimit inFlightLimit(GatewayConfig config, MeterRegistry registry) {
        InFlightLimit limit = new InFlightLimit(config.ingest().maxInFlight());
        limit.bindTo(registry);
        return limit;
    }

    @Produces
    @Singleton
    BatchOpener batchOpener(Identity gateway) {
        return new BatchOpener(gateway, FeedEntries.standard());
    }

    @Produces
    @Singleton
    IngestRecorder ingestRecorder(Vertx vertx, ProblemStore problems, MeterRegistry registry, Clock clock) {
        return new IngestRecorder(vertx, problems, registry, clock);
    }
}
