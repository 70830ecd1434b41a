package io.streembit.gateway.commands;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;

/** The commands' figures: what the intake took or refused, publications, results and expiries. */
public final class CommandMetrics {
    private final MeterRegistry registry;
    private final Counter results;
    private final Counter expired;

    public CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.results = registry.counter("streembit.commands.results");
        this.expired = registry.counter("streembit.commands.expired");
    }

    /** One request through an intake ({@code source}: rest, kafka, ...), by its outcome. */
    public void intake(String source, String outcome) {
        registry.counter("streembit.commands.intake", "source", source, "outcome", outcome)
                .increment();
    }

    public void published(CommandPublisher.Outcome outcome) {
        registry.counter(
                        "streembit.commands.published",
                        "outcome",
                        outcome.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    public void results(int closed) {
        results.increment(closed);
    }

    public void expired(int count) {
        expired.increment(count);
    }
}
