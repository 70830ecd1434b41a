package io.streembit.gateway.camel;

import io.streembit.gateway.store.DeadLetterStore;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code streembit:dead-letter?sink=NAME}: the dead-letter channel of a sink route. Keeps the
 * message, its string headers and the last error in {@code dead_letters}; for a re-drive (header
 * {@value #REDRIVE_HEADER}) it updates that row instead. If PostgreSQL cannot take it, the
 * exchange fails and the follower tries the whole batch again: a dead letter is never lost.
 */
final class DeadLetterProducer extends DefaultProducer {
    /** Set on a re-driven exchange: the id of the dead letter it came from. */
    static final String REDRIVE_HEADER = "Streembit-Dead-Letter-Id";

    private final DeadLetterStore store;
    private final String sink;
    private final int retries;

    DeadLetterProducer(StreembitEndpoint endpoint, DeadLetterStore store, String sink, int retries) {
        super(endpoint);
        this.store = store;
        this.sink = sink;
        this.retries = retries;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null
                ? "unknown error"
                : withoutCredentials(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        // Camel has cleared its redelivery counter by the time an onException step runs; every
        // exception is retried, so a dead letter always took the first try plus every retry
        Integer redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        int attempts = 1 + (redeliveries != null && redeliveries > 0 ? redeliveries : retries);
        Long redriven = exchange.getIn().getHeader(REDRIVE_HEADER, Long.class);
        Instant now = Instant.now();
        if (redriven != null) {
            store.failedAgain(redriven, error, attempts, now);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        // only what the gateway itself set: a header a route adds for its sink (Authorization...) stays out
        exchange.getIn().getHeaders().forEach((name, value) -> {
            if (value instanceof String text && (name.startsWith("Streembit-") || name.equals("Content-Type"))) {
                headers.put(name, text);
            }
        });
        store.add(
                sink,
                headers.get(TelemetryHeaders.DEVICE),
                parseSeq(headers.get(TelemetryHeaders.SEQ)),
                exchange.getIn().getBody(String.class),
                headers,
                error,
                attempts,
                now);
    }

    /** The error names the sink's URL; user:password@ in it is not for the dead-letter table. */
    static String withoutCredentials(String text) {
        return text.replaceAll("://[^/@\\s]+@", "://***@");
    }

    private static Long parseSeq(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
