package io.streembit.gateway;

import io.smallrye.jwt.build.Jwt;
import io.streembit.device.CommandHandler;
import io.streembit.device.DeviceAgent;
import io.streembit.device.DeviceOptions;
import io.streembit.device.Things;
import io.streembit.gateway.testing.ContinuousPublisher;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.gateway.testing.Ports;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.VerifiedContactOffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway, a separate process, killed with {@code kill -9} while devices publish,
 * then started again: every reading is in PostgreSQL exactly once afterwards and every device's
 * buffer is acknowledged. The cursor and the readings share one transaction, so whatever was in
 * flight at the kill is either committed with its cursor or fetched again after the restart.
 * Commands sent just before the kill (still QUEUED or PUBLISHED when it came) and after the
 * restart all succeed, each run exactly once by its device.
 */
class GatewayRestartIT {
    private static final Duration SETTLE = Duration.ofSeconds(120);

    @Test
    void aGatewayKilledMidStreamLosesNothingAndWritesNothingTwice() throws Exception {
        Path work = Files.createTempDirectory("gateway-restart-it");
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew();
                DhtTestNetwork network = new DhtTestNetwork(5)) {
            int[] ports = Ports.free(2);
            Map<String, String> props = new LinkedHashMap<>();
            props.put("quarkus.http.host", "127.0.0.1");
            props.put("quarkus.http.port", String.valueOf(ports[0]));
            props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            props.put("quarkus.datasource.username", pg.user());
            props.put("quarkus.datasource.password", pg.password());
            props.put("streembit.key.file", work.resolve("gateway.key").toString());
            props.put("streembit.key.passcode", "restart-Passcode-42");
            props.put("streembit.key.generate", "true");
            props.put("streembit.dht.port", String.valueOf(ports[1]));
            List<String> seeds = network.seeds();
            for (int i = 0; i < seeds.size(); i++) {
                props.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
            }
            props.put(
                    "streembit.routes.dir",
                    Path.of(System.getProperty("repo.root"), "camel-routes")
                            .toAbsolutePath()
                            .toString());
            props.put("streembit.ingest.poll-interval", "500ms");
            props.put("streembit.ingest.ack-interval", "300ms");
            Path jar = Path.of(System.getProperty("gateway.jar"));
            try (GatewayProcess gateway = new GatewayProcess(jar, "512m", props, work, work.resolve("gateway.log"))) {
                gateway.start();
                gateway.awaitReady(Duration.ofSeconds(90));
                // no JWT key in this configuration: the gateway starts, and a well-formed bearer token is refused
                String token = Jwt.issuer("https://issuer.example")
                        .subject("someone")
                        .groups(Set.of("admin"))
                        .sign(KeyPairGenerator.getInstance("RSA")
                                .generateKeyPair()
                                .getPrivate());
                assertThat(gateway.getWith("/api/devices", "Authorization", "Bearer " + token)
                                .statusCode())
                        .isEqualTo(401);
                assertThat(gateway.getWith("/api/devices", "X-API-Key", "not-the-key")
                                .statusCode())
                        .isEqualTo(401);
                VerifiedContactOffer offer = ContactOffers.parse(gateway.getOk("/api/gateway/offer"));

                List<DeviceAgent> devices = new ArrayList<>();
                Map<String, AtomicInteger> runs = new ConcurrentHashMap<>(); // "<device> <input>" -> executions
                for (int i = 0; i < 4; i++) {
                    Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
                    DeviceOptions options = DeviceOptions.builder(
                                    identity,
                                    Things.forDevice("thermostat", identity.account()),
                                    offer,
                                    Files.createTempDirectory(work, "device"))
                            .seeds(seeds)
                            .batch(10, Duration.ofMillis(100))
                            .pollInterval(Duration.ofMillis(500))
                            .republish(Duration.ofSeconds(3), 200)
                            .dht(DhtTestNetwork.options())
                            .build();
                    CommandHandler counting = (action, input) -> {
                        runs.computeIfAbsent(identity.account() + " " + input, k -> new AtomicInteger())
                                .incrementAndGet();
                        return CompletableFuture.completedFuture(input.get("value"));
                    };
                    DeviceAgent device = await(DeviceAgent.start(network.vertx, options, counting));
                    String body = Json.text(Json.object().put("offer", device.contactOffer()));
                    assertThat(gateway.postJson("/api/devices", body).statusCode())
                            .isEqualTo(201);
                    devices.add(device);
                }
                String ids = devices.stream().map(d -> "'" + d.account() + "'").collect(Collectors.joining(","));
                String countSql = "SELECT count(*) FROM readings WHERE device_id IN (" + ids + ")";

                try (ContinuousPublisher publisher = new ContinuousPublisher(devices, Duration.ofMillis(20))) {
                    await().atMost(SETTLE).until(() -> count(pg, countSql) > 200);
                    sendCommands(gateway, devices, 0); // the kill comes while these are queued or on their way
                    gateway.kill();
                    long atKill = count(pg, countSql);
                    Thread.sleep(3_000); // devices keep publishing into the DHT meanwhile
                    gateway.start();
                    gateway.awaitReady(Duration.ofSeconds(90));
                    sendCommands(gateway, devices, COMMANDS);
                    await().atMost(SETTLE).until(() -> count(pg, countSql) > atKill + 200);
                    publisher.stop();
                    assertThat(publisher.failure()).isNull();
                }
                for (DeviceAgent device : devices) {
                    await(device.flush());
                }
                await().atMost(SETTLE)
                        .untilAsserted(() -> assertThat(count(pg, countSql))
                                .isEqualTo(devices.stream()
                                        .mapToLong(d -> d.stats().readingsPublished())
                                        .sum()));
                assertThat(count(
                                pg,
                                "SELECT count(*) FROM (SELECT 1 FROM readings WHERE device_id IN (" + ids
                                        + ") GROUP BY device_id, seq, idx HAVING count(*) > 1) d"))
                        .isZero();
                String commandsSql = "SELECT count(*) FROM commands WHERE device_id IN (" + ids + ")";
                await().atMost(SETTLE)
                        .untilAsserted(() -> assertThat(count(pg, commandsSql + " AND status = 'SUCCEEDED'"))
                                .isEqualTo(devices.size() * 2L * COMMANDS));
                assertThat(count(pg, commandsSql)).isEqualTo(devices.size() * 2L * COMMANDS);
                assertThat(runs).hasSize(devices.size() * 2 * COMMANDS);
                assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                for (DeviceAgent device : devices) {
                    long last = device.stats().lastN();
                    await().atMost(SETTLE)
                            .untilAsserted(
                                    () -> assertThat(device.stats().ackedN()).isEqualTo(last));
                    assertThat(gateway.getOk("/api/devices/" + device.account()))
                            .contains("\"cursor\":" + last);
                    await(device.stop());
                }
            }
        }
    }

    private static final int COMMANDS = 5;

    /** {@link #COMMANDS} commands to each device, targets 5.0, 5.5, ... from {@code first}: one input per command. */
    private static void sendCommands(GatewayProcess gateway, List<DeviceAgent> devices, int first) throws Exception {
        for (int i = first; i < first + COMMANDS; i++) {
            for (DeviceAgent device : devices) {
                String body = "{\"action\":\"setTargetTemperature\",\"input\":{\"value\":" + (5 + i * 0.5)
                        + "},\"timeoutSeconds\":300}";
                assertThat(gateway.postJson("/api/devices/" + device.account() + "/commands", body)
                                .statusCode())
                        .isEqualTo(202);
            }
        }
    }

    private static long count(EmbeddedPostgres pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
