package io.streembit.gateway.camel;

import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.ReadingsWriter;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

import java.util.concurrent.Executor;

/**
 * {@code streembit:readings}: the PostgreSQL sink. Hands the exchange's batch to the group-commit
 * {@link ReadingsWriter} and continues the route once readings and cursor are committed.
 */
final class ReadingsProducer extends DefaultAsyncProducer {
    private final ReadingsWriter writer;
    private final Executor completions;

    ReadingsProducer(StreembitEndpoint endpoint, ReadingsWriter writer, Executor completions) {
        super(endpoint);
        this.writer = writer;
        this.completions = completions;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        VerifiedBatch batch = exchange.getProperty(TelemetryHeaders.BATCH_PROPERTY, VerifiedBatch.class);
        if (batch == null) {
            exchange.setException(new IllegalArgumentException(
                    "streembit:readings takes exchanges from streembit:telemetry (no verified batch on this one)"));
            callback.done(true);
            return true;
        }
        writer.write(batch)
                .whenCompleteAsync(
                        (v, failure) -> {
                            if (failure != null) {
                                exchange.setException(failure);
                            } else {
                                exchange.setProperty(TelemetryHeaders.CURSOR_COMMITTED_PROPERTY, true);
                            }
                            callback.done(false);
                        },
                        completions);
        return false;
    }
}
