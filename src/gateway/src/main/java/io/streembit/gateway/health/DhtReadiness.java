package io.streembit.gateway.health;

import io.streembit.gateway.camel.TelemetryHub;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.service.Followers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the DHT node joined its network and the telemetry route is running. */
@Readiness
@ApplicationScoped
public class DhtReadiness implements HealthCheck {
    private final GatewayNode node;
    private final TelemetryHub hub;
    private final Followers followers;

    DhtReadiness(GatewayNode node, TelemetryHub hub, Followers followers) {
        this.node = node;
        this.hub = hub;
        this.followers = followers;
    }

    @Override
    public HealthCheckResponse call() {
        boolean joined = node.joined();
        boolean routed = hub.attached();
        return HealthCheckResponse.named("streembit-dht")
                .status(joined && routed)
                .withData("joined", joined)
                .withData("peers", node.node().knownPeers())
                .withData("telemetryRoute", routed)
                .withData("followedDevices", followers.count())
                .build();
    }
}
