package io.streembit.gateway.camel;

import io.streembit.gateway.ingest.VerifiedBatch;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The in-message of a telemetry exchange: its body, the telemetry JSON, is written the first time
 * a step reads it. With only the PostgreSQL sink on, nothing reads it (streembit:readings takes
 * the batch itself), and writing it for every batch was 6 % of a busy gateway's CPU. The route
 * must not stream-cache (camel-routes/telemetry.yaml): stream caching reads every body up front.
 */
final class TelemetryExchangeMessage extends DefaultMessage {
    private final VerifiedBatch batch;
    private boolean bodySet;

    TelemetryExchangeMessage(Exchange exchange, VerifiedBatch batch) {
        super(exchange);
        this.batch = batch;
    }

    @Override
    protected Object createBody() {
        if (bodySet) {
            return null; // a step set it, to null: stays null
        }
        bodySet = true;
        return TelemetryMessage.body(batch);
    }

    @Override
    public void setBody(Object body) {
        bodySet = true;
        super.setBody(body);
    }
}
