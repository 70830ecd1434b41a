package io.streembit.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streembit.gateway.security.ApiKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Everything a gateway test runs against, real and on loopback: an embedded PostgreSQL, an
 * in-process Kafka broker, an HTTP server standing in for the portal, and a small DHT network.
 * Started once per JVM (tests share one Quarkus boot) and reachable from tests through the
 * static accessors, so a test can stop PostgreSQL or the broker mid-stream.
 *
 * <p>The API accepts three keys, one per way of configuring them: {@link #ADMIN_KEY} (a plain
 * {@code .key}), {@link #READ_KEY} (a {@code .sha256}) and {@link #COMMAND_KEY} (role
 * {@code command}, only for devices labelled {@link #COMMAND_LABELS}; from an API-key file).
 * Bearer tokens are verified with an RSA key generated at start: sign them with
 * {@link #jwtSigningKey()} and issuer {@link #JWT_ISSUER} ({@link TestJwts}). Tests send
 * credentials through {@link Api}.
 */
public final class GatewayTestEnvironment implements QuarkusTestResourceLifecycleManager {
    public static final String PASSCODE = "test-Passcode-42";
    public static final String TOPIC = "streembit.telemetry";
    public static final String ADMIN_KEY = "test-admin-7f3c9a1e5b2d4c6a8e0f";
    public static final String READ_KEY = "test-read-2b8d4f6a0c1e3a5c7e9b";
    public static final String COMMAND_KEY = "test-command-9e1a3c5e7b0d2f4a6c8e";
    /** The allow-list of {@link #COMMAND_KEY}: devices with this label only. */
    public static final Map<String, String> COMMAND_LABELS = Map.of("site", "command-test");

    public static final String JWT_ISSUER = "https://issuer.streembit.test";

    private static EmbeddedPostgres postgres;
    private static KafkaBroker kafka;
    private static PortalStub portal;
    private static DhtTestNetwork network;
    private static KeyPair jwtKeys;
    private static Path authDir;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.startNew();
                kafka = KafkaBroker.startNew();
                portal = new PortalStub();
                network = new DhtTestNetwork(6);
                jwtKeys = rsaKeyPair();
                authDir = authFiles(jwtKeys);
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
            // HostileDataTest counts the records of unregistered devices the gateway holds as a DHT member
            config.put("streembit.dht.store-for-others", "true");
            config.put("streembit.sinks.kafka.bootstrap-servers", kafka.bootstrapServers());
            config.put("streembit.sinks.kafka.topic", TOPIC);
            config.put("streembit.sinks.portal.url", portal.url("/ingest"));
            config.put("streembit.sinks.portal.max-retries", "3");
            config.put("streembit.sinks.portal.retry-delay", "100ms");
            config.put("streembit.sinks.portal.timeout", "1s");
            // small, so the fault tests see the bound hold with a handful of devices
            config.put("streembit.ingest.max-in-flight", "4");
            config.put("streembit.ingest.poll-interval", "500ms");
            config.put("streembit.ingest.ack-interval", "200ms");
            config.put("streembit.ingest.retry-initial", "200ms");
            config.put("streembit.ingest.retry-max", "2s");
            config.put("streembit.ingest.gap-alert-after", "2s");
            // the scheduler's shortest period: it looks at its triggers once a second
            config.put("streembit.commands.expiry-interval", "1s");
            config.put("streembit.commands.dispatch-retry", "1s");
            config.put("streembit.commands.retry-initial", "200ms");
            config.put("streembit.commands.retry-max", "2s");
            config.put("streembit.commands.callback-max-retries", "2");
            config.put("streembit.commands.callback-retry-delay", "100ms");
            config.put("streembit.commands.callback-timeout", "1s");
            config.putAll(auth());
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
        for (AutoCloseable c : new AutoCloseable[] {network, portal, kafka, postgres}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
    }

    /** The API keys and the JWT verification key of the test profile. */
    private static Map<String, String> auth() {
        Map<String, String> config = new HashMap<>();
        config.put("streembit.auth.api-keys.test-admin.key", ADMIN_KEY);
        config.put("streembit.auth.api-keys.test-admin.roles", "admin");
        config.put("streembit.auth.api-keys.test-read.sha256", HexFormat.of().formatHex(ApiKey.sha256(READ_KEY)));
        config.put("streembit.auth.api-keys.test-read.roles", "read");
        config.put(
                "streembit.auth.api-keys-file", authDir.resolve("api-keys.json").toString());
        config.put(
                "mp.jwt.verify.publickey.location",
                authDir.resolve("jwt-public.pem").toString());
        config.put("mp.jwt.verify.issuer", JWT_ISSUER);
        return config;
    }

    static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Path authFiles(KeyPair jwt) throws Exception {
        Path dir = Files.createTempDirectory("streembit-gateway-auth");
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(jwt.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("jwt-public.pem"), pem);
        Files.writeString(
                dir.resolve("api-keys.json"),
                "[{\"name\": \"test-command\", \"sha256\": \""
                        + HexFormat.of().formatHex(ApiKey.sha256(COMMAND_KEY)) + "\", \"roles\": [\"command\"], "
                        + "\"labels\": {\"site\": \"command-test\"}}]");
        return dir;
    }

    /** Signs bearer tokens the gateway under test accepts. */
    public static PrivateKey jwtSigningKey() {
        return jwtKeys.getPrivate();
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
