package io.streembit.gateway.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.commands.CommandResults;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.ingest.InFlightLimit;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.Fence;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.gateway.store.ReadingsMetrics;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.store.WriterClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * PostgreSQL's side of the ingest: the cursors' owner, the problems and dead letters, and the
 * readings writer, whose transaction also closes the commands that committed results answer.
 */
@ApplicationScoped
public class StoreWiring {
    @Produces
    @Singleton
    DeviceCursors deviceCursors(DataSource dataSource, Fence fence) {
        return new DeviceCursors(dataSource, fence);
    }

    @Produces
    @Singleton
    ProblemStore problemStore(DataSource dataSource, DeviceCursors cursors) {
        return new ProblemStore(dataSource, cursors);
    }

    @Produces
    @Singleton
    DeadLetterStore deadLetterStore(DataSource dataSource) {
        return new DeadLetterStore(dataSource);
    }

    @Produces
    @Singleton
    ReadingsWriter readingsWriter(
            DataSource dataSource,
            DeviceCursors cursors,
            GatewayConfig config,
            MeterRegistry registry,
            CommandResults commandResults,
            InFlightLimit inFlight) {
        GatewayConfig.Postgres postgres = config.sinks().postgres();
        var settings = new ReadingsWriter.Settings(
                postgres.maxBatchesPerTransaction(), postgres.writers(), postgres.commitLinger());
        return new ReadingsWriter(
                dataSource,
                cursors,
                settings,
                inFlight::inUse,
                new ReadingsMetrics(registry),
                commandResults,
                WriterClock.SYSTEM);
    }

    void closeWriter(@Disposes ReadingsWriter writer) throws InterruptedException {
        writer.close();
    }
}
