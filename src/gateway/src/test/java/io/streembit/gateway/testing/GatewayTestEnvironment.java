package io.streembit.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a gateway test runs against, real and on loopback: an embedded PostgreSQL, an
 * in-process Kafka broker, an HTTP server standing in for the portal, and a small DHT network.
 * Started once per JVM (tests share one Quarkus boot) and reachable from tests through the
 * static accessors, so a test can stop PostgreSQL or the broker mid-stream.
 */
public final class GatewayTestEnvironment implements QuarkusTestResourceLifecycleManager {
    public static final String PASSCODE = "test-Passcode-42";
    public static final String TOPIC = "streembit.telemetry";

    private static EmbeddedPostgres postgres;
    private static KafkaBroker kafka;
    private static PortalStub portal;
    private static DhtTestNetwork network;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.startNew();
                kafka = KafkaBroker.startNew();
                portal = new PortalStub();
                network = new DhtTestNetwork(6);
                Runtime.getRuntime().addShutdownHook(new Thread(GatewayTestEnvironment::closeAll));
            }
            Path keyDir = Files.createTempDirectory("streembit-gateway-key");
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            config.put("quarkus.datasource.username", postgres.user());
            config.put("quarkus.datasource.password", postgres.password());
            config.put("streembit.key.file", keyDir.resolve("gateway.key").toString());
            config.put("streembit.key.passcode", PASSCODE);
            List<String> seeds = network.seeds();
            for (int i = 0; i < seeds.size(); i++) {
                config.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
            }
            config.put("streembit.sinks.kafka.bootstrap-servers", kafka.bootstrapServers());
            config.put("streembit.sinks.kafka.topic", TOPIC);
            config.put("streembit.sinks.portal.url", portal.url("/ingest"));
            config.put("streembit.sinks.portal.max-retries", "3");
            config.put("streembit.sinks.portal.retry-delay-ms", "100");
            config.put("streembit.sinks.portal.timeout-ms", "1000");
            // small, so the fault tests see the bound hold with a handful of devices
            config.put("streembit.ingest.max-in-flight", "4");
            config.put("streembit.ingest.poll-interval", "500ms");
            config.put("streembit.ingest.ack-interval", "200ms");
            config.put("streembit.ingest.retry-initial", "200ms");
            config.put("streembit.ingest.retry-max", "2s");
            config.put("streembit.ingest.gap-alert-after", "2s");
            config.put("streembit.commands.expiry-interval", "200ms");
            config.put("streembit.commands.dispatch-retry", "500ms");
            config.put("streembit.commands.retry-initial", "200ms");
            config.put("streembit.commands.retry-max", "2s");
            config.put("streembit.commands.callback-max-retries", "2");
            config.put("streembit.commands.callback-retry-delay-ms", "100");
            config.put("streembit.commands.callback-timeout-ms", "1000");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the gateway test environment", e);
        }
    }

    @Override
    public void stop() {
        // Kept for the JVM's lifetime: the next test class's Quarkus boot reuses them.
    }

    private static void closeAll() {
        for (AutoCloseable c : new AutoCloseable[]{network, portal, kafka, postgres}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
    }

    public static EmbeddedPostgres postgres() {
        return postgres;
    }

    public static KafkaBroker kafka() {
        return kafka;
    }

    public static PortalStub portal() {
        return portal;
    }

    public static DhtTestNetwork network() {
        return network;
    }
}
