package io.streembit.gateway.health;

import io.streembit.gateway.cluster.ShardOwnership;
import io.streembit.gateway.service.ClusterService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * In cluster mode a replica is ready once it is in the group and has taken its share of shards
 * (maybe none); Kafka unreachable or a cluster mismatch: DOWN, with the reason. A single replica: UP.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {
    private final ClusterService cluster;

    ClusterReadiness(ClusterService cluster) {
        this.cluster = cluster;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("streembit-cluster");
        if (!cluster.mode().enabled()) {
            return response.up().withData("enabled", false).build();
        }
        Optional<ShardOwnership> ownership = cluster.ownership();
        if (ownership.isEmpty()) {
            return response.down().withData("problem", "not started").build();
        }
        ShardOwnership owner = ownership.get();
        response.withData("member", owner.memberId())
                .withData("shards", owner.owned().size());
        return owner.ready()
                ? response.up().build()
                : response.down().withData("problem", owner.problem()).build();
    }
}
