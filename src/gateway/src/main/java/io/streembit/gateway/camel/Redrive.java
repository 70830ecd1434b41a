package io.streembit.gateway.camel;

import io.streembit.gateway.store.DeadLetterStore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.sql.SQLException;
import java.time.Instant;

/**
 * Sends a dead letter through its sink's route again ({@code direct:telemetry-<sink>}, or
 * {@code direct:<sink>} for the command sinks, whose names start with {@code command-}), with
 * its body and headers as they were. The route keeps its retries and its dead-letter channel;
 * if it gives up again, the same row records the new error.
 */
public final class Redrive {
    /** The outcome: delivered, or the error the sink gave up with this time. */
    public record Result(long id, boolean delivered, String error) {}

    private final ProducerTemplate producer;
    private final DeadLetterStore store;

    public Redrive(ProducerTemplate producer, DeadLetterStore store) {
        this.producer = producer;
        this.store = store;
    }

    public static String routeOf(String sink) {
        return sink.startsWith("command-") ? "direct:" + sink : "direct:telemetry-" + sink;
    }

    public Result redrive(DeadLetterStore.DeadLetter letter) throws SQLException {
        Exchange result = producer.send(routeOf(letter.sink()), exchange -> {
            exchange.getIn().setBody(letter.body());
            exchange.getIn().setHeaders(new java.util.HashMap<>(letter.headers()));
            exchange.getIn().setHeader(DeadLetterProducer.REDRIVE_HEADER, letter.id());
        });
        Throwable failure = result.getException() != null
                ? result.getException()
                : result.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            return new Result(letter.id(), false, failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        store.redriven(letter.id(), Instant.now());
        return new Result(letter.id(), true, null);
    }
}
