package io.streembit.gateway.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.jboss.logging.Logger;

/**
 * Decides, once the routes have started, who commits cursors ({@link CursorCommit}): the
 * readings sink when any loaded route has a {@code streembit:readings} endpoint, the gateway
 * otherwise; tells the {@link TelemetryHub} and logs it. Until then the hub refuses batches.
 */
public final class CursorCommitChooser extends EventNotifierSupport {
    private static final Logger LOG = Logger.getLogger(CursorCommitChooser.class);

    private final TelemetryHub hub;

    public CursorCommitChooser(TelemetryHub hub) {
        this.hub = hub;
        setIgnoreExchangeEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CursorCommit choice = choose(((CamelEvent.CamelContextStartedEvent) event).getContext());
        hub.cursorCommit(choice);
        LOG.infof(
                "device cursors are committed %s",
                switch (choice) {
                    case READINGS_SINK -> "by streembit:readings, with the readings they cover";
                    case AFTER_ROUTE -> "after the telemetry route completes (no route uses streembit:readings)";
                });
    }

    static CursorCommit choose(CamelContext context) {
        boolean readings = context.getEndpoints().stream()
                .anyMatch(e -> e instanceof StreembitEndpoint s && s.kind() == StreembitEndpoint.Kind.READINGS);
        return readings ? CursorCommit.READINGS_SINK : CursorCommit.AFTER_ROUTE;
    }
}
