package io.streembit.gateway;

import io.streembit.device.CommandHandler;
import io.streembit.device.DeviceAgent;
import io.streembit.device.DeviceOptions;
import io.streembit.device.Things;
import io.streembit.dht.DhtOptions;
import io.streembit.gateway.testing.ContinuousPublisher;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.gateway.testing.GatewayReplicas;
import io.streembit.gateway.testing.KafkaBroker;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three gateway replicas, each its own OS process, share a fleet of 100 devices through Kafka's
 * consumer group and a fence in PostgreSQL, while the devices publish throughout. One replica is
 * killed with {@code kill -9}; later another is frozen with SIGSTOP for longer than the session
 * timeout and then let go. Afterwards every reading the fleet published is in PostgreSQL once,
 * no cursor ever moved back (a trigger records any that does), the frozen replica's late writes
 * were refused by the fence and counted, every command sent through any replica succeeded and
 * ran once, and each device is followed by exactly one live replica.
 */
class ClusterFailoverIT {
    private static final int DEVICES = 100;
    private static final int SHARDS = 64;
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Duration SESSION = Duration.ofSeconds(6);

    @Test
    void replicasKilledAndFrozenMidStreamLoseNothingForgeNothingAndLeaveEveryDeviceWithOneFollower() throws Exception {
        Path work = Files.createTempDirectory("cluster-failover-it");
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew();
                KafkaBroker kafka = KafkaBroker.startNew();
                DhtTestNetwork network = new DhtTestNetwork(5)) {
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            shared.put("quarkus.datasource.username", pg.user());
            shared.put("quarkus.datasource.password", pg.password());
            List<String> seeds = network.seeds();
            for (int i = 0; i < seeds.size(); i++) {
                shared.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
            }
            shared.put(
                    "streembit.routes.dir",
                    Path.of(System.getProperty("repo.root"), "camel-routes")
                            .toAbsolutePath()
                            .toString());
            shared.put("streembit.ingest.poll-interval", "500ms");
            shared.put("streembit.ingest.ack-interval", "300ms");
            shared.put("streembit.cluster.session-timeout", SESSION.toSeconds() + "s");
            Path jar = Path.of(System.getProperty("gateway.jar"));
            String group = "failover-it-" + UUID.randomUUID();
            try (GatewayReplicas replicas =
                    new GatewayReplicas(jar, "384m", shared, kafka.bootstrapServers(), group, work)) {
                replicas.start(1, Duration.ofSeconds(120));
                recordCursorRegressions(pg); // the first replica has made the schema
                replicas.start(2, Duration.ofSeconds(120));
                GatewayProcess a = replicas.get(0);
                GatewayProcess b = replicas.get(1);
                GatewayProcess c = replicas.get(2);
                await().atMost(SETTLE)
                        .untilAsserted(() -> assertThat(ownedByAll(replicas.alive()))
                                .as("every shard owned, once, by the three")
                                .hasSize(SHARDS));
                for (GatewayProcess replica : replicas.all()) {
                    assertThat(GatewayReplicas.owned(replica)).isNotEmpty();
                }

                VerifiedContactOffer offer = ContactOffers.parse(a.getOk("/api/gateway/offer"));
                assertThat(ContactOffers.parse(b.getOk("/api/gateway/offer")).publicKey())
                        .as("the replicas share the gateway key")
                        .isEqualTo(offer.publicKey());
                Map<String, AtomicInteger> runs = new ConcurrentHashMap<>(); // "<device> <input>" -> executions
                List<DeviceAgent> devices = startDevices(network, offer, seeds, work, runs);
                for (int i = 0; i < devices.size(); i++) {
                    String body =
                            Json.text(Json.object().put("offer", devices.get(i).contactOffer()));
                    assertThat(replicas.get(i % 3)
                                    .postJson("/api/devices", body)
                                    .statusCode())
                            .as("any replica registers any device")
                            .isEqualTo(201);
                }
                String ids = devices.stream().map(d -> "'" + d.account() + "'").collect(Collectors.joining(","));
                String countSql = "SELECT count(*) FROM readings WHERE device_id IN (" + ids + ")";

                try (ContinuousPublisher publisher = new ContinuousPublisher(devices, Duration.ofSeconds(1))) {
                    await().atMost(SETTLE)
                            .untilAsserted(() -> assertThat(count(
                                            pg,
                                            "SELECT count(DISTINCT device_id) FROM readings WHERE device_id IN (" + ids
                                                    + ")"))
                                    .as(
                                            "devices with readings; followed: %s; silent: %s",
                                            followedCounts(replicas), silent(pg, devices, network))
                                    .isEqualTo(DEVICES));
                    sendCommands(List.of(a, b, c), devices, 0); // a's share is in flight at the kill

                    Set<String> aFollowed = GatewayReplicas.followed(a);
                    assertThat(aFollowed).isNotEmpty();
                    a.kill();
                    Instant killed = Instant.now();
                    await().atMost(SETTLE)
                            .untilAsserted(
                                    () -> assertThat(ownedByAll(List.of(b, c))).hasSize(SHARDS));
                    await().atMost(SETTLE)
                            .until(() -> count(pg, devicesWithReadingsAfter(aFollowed, killed)) == aFollowed.size());
                    System.out.printf(
                            "kill -9 of replica-0: its %d devices' data flowed again after %d ms%n",
                            aFollowed.size(),
                            Duration.between(killed, Instant.now()).toMillis());
                    sendCommands(List.of(b, c), devices, 1);

                    b.pause();
                    // c can take b's shards only once b's session expired: b stays frozen past it
                    await().atMost(SETTLE)
                            .untilAsserted(
                                    () -> assertThat(GatewayReplicas.owned(c)).hasSize(SHARDS));
                    Instant frozen = Instant.now();
                    b.resume();
                    await().atMost(SETTLE)
                            .untilAsserted(() -> assertThat(GatewayReplicas.counter(b, "streembit_fenced_writes_total"))
                                    .as("the frozen replica's late writes were refused and counted")
                                    .isPositive());
                    await().atMost(SETTLE)
                            .untilAsserted(
                                    () -> assertThat(ownedByAll(List.of(b, c))).hasSize(SHARDS));
                    await().atMost(SETTLE)
                            .until(() -> count(pg, devicesWithReadingsAfter(ids(devices), frozen)) == DEVICES);
                    publisher.stop();
                    assertThat(publisher.failure()).isNull();
                }

                long published = devices.stream()
                        .mapToLong(d -> d.stats().readingsPublished())
                        .sum();
                await().atMost(SETTLE)
                        .untilAsserted(() -> assertThat(count(pg, countSql))
                                .as("the fleet's own count of readings")
                                .isEqualTo(published));
                assertThat(count(
                                pg,
                                "SELECT count(*) FROM (SELECT 1 FROM readings WHERE device_id IN (" + ids
                                        + ") GROUP BY device_id, seq, idx HAVING count(*) > 1) d"))
                        .isZero();
                assertThat(count(pg, "SELECT count(*) FROM cursor_regressions"))
                        .as("cursors only ever moved forward")
                        .isZero();

                String commandsSql = "SELECT count(*) FROM commands WHERE device_id IN (" + ids + ")";
                await().atMost(SETTLE)
                        .untilAsserted(() -> assertThat(count(pg, commandsSql + " AND status = 'SUCCEEDED'"))
                                .as("every command sent through any replica succeeded")
                                .isEqualTo(2L * COMMANDS));
                assertThat(count(pg, commandsSql)).isEqualTo(2L * COMMANDS);
                assertThat(runs).hasSize(2 * COMMANDS);
                assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));

                await().atMost(SETTLE).untilAsserted(() -> {
                    Map<String, String> followers = replicas.followers();
                    assertThat(followers.keySet()).containsExactlyInAnyOrderElementsOf(ids(devices));
                    assertThat(followers.values())
                            .as("one live follower per device")
                            .allSatisfy(f -> assertThat(f).doesNotContain(","));
                });
                for (DeviceAgent device : devices) {
                    long last = device.stats().lastN();
                    await().atMost(SETTLE)
                            .untilAsserted(
                                    () -> assertThat(device.stats().ackedN()).isEqualTo(last));
                }
                for (DeviceAgent device : devices) {
                    await(device.stop());
                }
            }
        }
    }

    private static final int COMMANDS = 10;

    private static List<DeviceAgent> startDevices(
            DhtTestNetwork network,
            VerifiedContactOffer offer,
            List<String> seeds,
            Path work,
            Map<String, AtomicInteger> runs)
            throws Exception {
        // A hundred nodes in one process, each connected to every other, would need more than the
        // 20,000 descriptors this machine allows (the Kafka broker in this process then fails too).
        // Each device stores along one lookup path instead of three (8 storing nodes, not up to
        // 24), with room for 128 connections: at 16 or 64, busy nodes refused some devices' stores.
        DhtOptions deviceDht = DhtTestNetwork.options().withDisjointPaths(1);
        deviceDht = deviceDht.withLimits(deviceDht.limits().withMaxConnections(128));
        List<Future<DeviceAgent>> starting = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
            DeviceOptions options = DeviceOptions.builder(
                            identity,
                            Things.forDevice("thermostat", identity.account()),
                            offer,
                            Files.createTempDirectory(work, "device"))
                    .seeds(seeds)
                    .batch(10, Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(500))
                    .republish(Duration.ofSeconds(3), 200)
                    .dht(deviceDht)
                    .build();
            CommandHandler counting = (action, input) -> {
                runs.computeIfAbsent(identity.account() + " " + input, k -> new AtomicInteger())
                        .incrementAndGet();
                return CompletableFuture.completedFuture(input.get("value"));
            };
            starting.add(DeviceAgent.start(network.vertx, options, counting));
        }
        List<DeviceAgent> devices = new ArrayList<>();
        for (Future<DeviceAgent> device : starting) {
            devices.add(await(device));
        }
        return devices;
    }

    /**
     * {@link #COMMANDS} commands, round 0 or 1, to the first devices, each sent through the next
     * replica in turn: one input per command, so a command run twice shows.
     */
    private static void sendCommands(List<GatewayProcess> through, List<DeviceAgent> devices, int round)
            throws Exception {
        for (int i = 0; i < COMMANDS; i++) {
            DeviceAgent device = devices.get(round * COMMANDS + i);
            String body = "{\"action\":\"setTargetTemperature\",\"input\":{\"value\":" + (5 + round * 10 + i)
                    + "},\"timeoutSeconds\":300}";
            assertThat(through.get(i % through.size())
                            .postJson("/api/devices/" + device.account() + "/commands", body)
                            .statusCode())
                    .isEqualTo(202);
        }
    }

    /** The devices without a reading in PostgreSQL, with their own account of what they sent. */
    private static String silent(EmbeddedPostgres pg, List<DeviceAgent> devices, DhtTestNetwork network)
            throws Exception {
        StringBuilder out = new StringBuilder();
        List<io.streembit.dht.DhtNode> nodes = new ArrayList<>(network.nodes);
        devices.forEach(d -> nodes.add(d.node()));
        for (DeviceAgent device : devices) {
            if (count(pg, "SELECT count(*) FROM readings WHERE device_id = '" + device.account() + "'") == 0) {
                out.append('\n').append(device.account()).append(' ').append(device.stats());
                io.streembit.protocol.identity.NodeId key =
                        io.streembit.protocol.feed.FeedEntries.key(device.publicKey());
                for (io.streembit.dht.DhtNode node : nodes) {
                    List<Long> seqs = node.localRecords(key).stream()
                            .map(r -> r.seq())
                            .sorted()
                            .toList();
                    if (!seqs.isEmpty()) {
                        out.append("\n  held by ")
                                .append(node.id().hex(), 0, 8)
                                .append(node == device.node() ? " (itself)" : "")
                                .append(": ")
                                .append(seqs.size())
                                .append(" from ")
                                .append(seqs.get(0));
                    }
                }
            }
        }
        return out.toString();
    }

    /** How many devices each live replica follows, for a failure's message. */
    private static String followedCounts(GatewayReplicas replicas) throws Exception {
        StringBuilder counts = new StringBuilder();
        for (GatewayProcess replica : replicas.alive()) {
            counts.append(GatewayReplicas.followed(replica).size()).append(' ');
        }
        return counts.toString().trim();
    }

    /** Every shard some replica of {@code replicas} owns, failing if two claim one. */
    private static Set<Integer> ownedByAll(List<GatewayProcess> replicas) throws Exception {
        Set<Integer> all = new TreeSet<>();
        for (GatewayProcess replica : replicas) {
            for (int shard : GatewayReplicas.owned(replica)) {
                assertThat(all.add(shard)).as("shard %d owned twice", shard).isTrue();
            }
        }
        return all;
    }

    private static Set<String> ids(List<DeviceAgent> devices) {
        return devices.stream().map(DeviceAgent::account).collect(Collectors.toCollection(HashSet::new));
    }

    private static String devicesWithReadingsAfter(Set<String> devices, Instant after) {
        return "SELECT count(DISTINCT device_id) FROM readings WHERE stored_at > '" + after + "' AND device_id IN ("
                + devices.stream().map(d -> "'" + d + "'").collect(Collectors.joining(",")) + ")";
    }

    /** A trigger that records every backward move of a device's cursor, whoever makes it. */
    private static void recordCursorRegressions(EmbeddedPostgres pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cursor_regressions (device_id TEXT, from_seq BIGINT, to_seq BIGINT,"
                    + " at TIMESTAMPTZ DEFAULT now())");
            st.execute("CREATE FUNCTION note_cursor_regression() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN IF NEW.cursor_seq < OLD.cursor_seq THEN"
                    + " INSERT INTO cursor_regressions (device_id, from_seq, to_seq)"
                    + " VALUES (OLD.id, OLD.cursor_seq, NEW.cursor_seq); END IF; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER cursor_forward_only BEFORE UPDATE OF cursor_seq ON devices"
                    + " FOR EACH ROW EXECUTE FUNCTION note_cursor_regression()");
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
