package io.streembit.gateway.camel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Figures per sink for every telemetry exchange a route sends to an endpoint: batches and
 * readings out ({@code streembit_sink_batches_total}, {@code streembit_sink_readings_total},
 * tagged by sink and outcome) and the send's latency ({@code streembit_sink_latency}). The sink
 * is the endpoint's scheme (kafka, http, streembit...); {@code direct:} hops are not sinks.
 */
public final class SinkMetrics extends EventNotifierSupport {
    /** One sink's meters, looked up once: a registry look-up per send builds and sorts its tags. */
    private record Meters(Counter ok, Counter failed, Counter readings, Timer latency) {}

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Meters> bySink = new ConcurrentHashMap<>();

    public SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        // Not ignored although unused: Camel times a send (and emits its sent event) only when
        // some notifier took the sending event, and Camel's own exchange notifier is off.
        setIgnoreExchangeSendingEvents(false);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        String readings = exchange.getIn().getHeader(TelemetryHeaders.READINGS, String.class);
        if (readings == null) {
            return; // not a telemetry exchange
        }
        String scheme = sent.getEndpoint().getEndpointUri();
        int colon = scheme.indexOf(':');
        scheme = colon < 0 ? scheme : scheme.substring(0, colon);
        if (scheme.equals("direct")) {
            return;
        }
        if (scheme.equals("streembit")) {
            scheme = sent.getEndpoint().getEndpointKey().contains("dead-letter") ? "dead-letter" : "postgres";
        } else if (scheme.startsWith("http")) {
            scheme = "portal";
        }
        Meters meters = bySink.computeIfAbsent(scheme, this::meters);
        if (exchange.getException() != null) {
            meters.failed().increment();
        } else {
            meters.ok().increment();
            meters.readings().increment(Long.parseLong(readings));
        }
        meters.latency().record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
    }

    private Meters meters(String sink) {
        return new Meters(
                registry.counter("streembit.sink.batches", "sink", sink, "outcome", "ok"),
                registry.counter("streembit.sink.batches", "sink", sink, "outcome", "failed"),
                registry.counter("streembit.sink.readings", "sink", sink),
                registry.timer("streembit.sink.latency", "sink", sink));
    }
}
