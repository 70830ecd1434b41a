package io.streembit.gateway.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The readings writer's figures: each group commit's duration, and the batches and readings it committed. */
public final class ReadingsMetrics implements Consumer<ReadingsWriter.Commit> {
    private final Timer commits;
    private final Counter batches;
    private final Counter readings;

    public ReadingsMetrics(MeterRegistry registry) {
        this.commits = Timer.builder("streembit.sink.postgres.commit")
                .description("one group-commit transaction of the readings sink")
                .register(registry);
        this.batches = registry.counter("streembit.sink.postgres.batches");
        this.readings = registry.counter("streembit.sink.postgres.readings");
    }

    @Override
    public void accept(ReadingsWriter.Commit commit) {
        commits.record(commit.nanos(), TimeUnit.NANOSECONDS);
        batches.increment(commit.batches());
        readings.increment(commit.readings());
    }
}
