package io.streembit.gateway.camel;

import io.streembit.gateway.ingest.VerifiedBatch;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.function.BiConsumer;

/**
 * {@code streembit:telemetry}: turns each verified batch into an exchange (body: the telemetry
 * JSON, written when a step first reads it; headers: {@link TelemetryHeaders}; property: the
 * batch itself) and reports back when the route completed it.
 */
final class TelemetryConsumer extends DefaultConsumer {
    private final TelemetryHub hub;

    TelemetryConsumer(StreembitEndpoint endpoint, Processor processor, TelemetryHub hub) {
        super(endpoint, processor);
        this.hub = hub;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        hub.attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        hub.detach(this);
        super.doStop();
    }

    /** Runs the route for {@code batch}; {@code done} gets the exchange's failure (or null) and whether a route committed the cursor. */
    void dispatch(VerifiedBatch batch, BiConsumer<Throwable, Boolean> done) {
        Exchange exchange = createExchange(false);
        exchange.setIn(new TelemetryExchangeMessage(exchange, batch));
        exchange.getIn().setHeaders(TelemetryMessage.headers(batch));
        exchange.setProperty(TelemetryHeaders.BATCH_PROPERTY, batch);
        AsyncCallback callback = doneSync -> {
            Throwable failure = exchange.getException();
            boolean committed = Boolean.TRUE.equals(exchange.getProperty(TelemetryHeaders.CURSOR_COMMITTED_PROPERTY));
            releaseExchange(exchange, false);
            done.accept(failure, committed);
        };
        try {
            getAsyncProcessor().process(exchange, callback);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
        }
    }
}
