package io.streembit.gateway.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.cluster.ClusterMode;
import io.streembit.gateway.cluster.ShardEpochs;
import io.streembit.gateway.cluster.Shards;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.store.Fence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Single replica or cluster member ({@code streembit.cluster.enabled}), and the fence every
 * write that relies on single ownership passes: {@link Fence#NONE} alone; the shards' epochs in
 * PostgreSQL in a cluster, whose record is checked here, before anything is written.
 */
@ApplicationScoped
public class ClusterWiring {
    @Produces
    @Singleton
    ClusterMode clusterMode(GatewayConfig config, DataSource dataSource, MeterRegistry registry) throws SQLException {
        GatewayConfig.Cluster cluster = config.cluster();
        if (!cluster.enabled()) {
            return ClusterMode.single();
        }
        if (cluster.bootstrapServers()
                .or(() -> config.sinks().kafka().bootstrapServers())
                .filter(s -> !s.isBlank())
                .isEmpty()) {
            throw new IllegalArgumentException("cluster mode (streembit.cluster.enabled) needs Kafka: set"
                    + " streembit.cluster.bootstrap-servers or streembit.sinks.kafka.bootstrap-servers");
        }
        String member = cluster.memberId().orElseGet(ClusterWiring::defaultMemberId);
        return ClusterMode.member(
                ShardEpochs.open(dataSource, cluster.groupId(), new Shards(cluster.shards()), member, registry));
    }

    @Produces
    @Singleton
    Fence fence(ClusterMode mode) {
        return mode.fence();
    }

    /** The host name (a pod's name in Kubernetes) and the process id: unique among running replicas. */
    private static String defaultMemberId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "gateway";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
