package io.streembit.gateway.health;

import io.streembit.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kafka is up when the Kafka sink is on (a bootstrap server is configured): a bounded describe
 * of the cluster, so an absent broker answers DOWN within seconds instead of hanging the probe.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private static final int TIMEOUT_MS = 3_000;

    private final String bootstrap;
    private Admin admin;

    KafkaReadiness(GatewayConfig config) {
        this.bootstrap = config.sinks().kafka().bootstrapServers().orElse(null);
    }

    @Override
    public HealthCheckResponse call() {
        if (bootstrap == null) {
            return HealthCheckResponse.named("streembit-kafka")
                    .up()
                    .withData("enabled", false)
                    .build();
        }
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes()
                    .get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS)
                    .size();
            return HealthCheckResponse.named("streembit-kafka")
                    .up()
                    .withData("brokers", nodes)
                    .build();
        } catch (Exception e) {
            return HealthCheckResponse.named("streembit-kafka")
                    .down()
                    .withData("bootstrap", bootstrap)
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    TIMEOUT_MS,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    TIMEOUT_MS));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
