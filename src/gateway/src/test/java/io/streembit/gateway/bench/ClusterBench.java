package io.streembit.gateway.bench;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.streembit.gateway.testing.DhtTestNetwork.await;

/**
 * The scale-out benchmark ({@code bin/bench-gateway --gateways N}; docs/benchmarks.md, "Scaling
 * out"). Not a test: a main that runs N gateway replicas (separate processes, cluster mode, the
 * product's default cluster settings unless {@code --session-timeout}) on an embedded PostgreSQL
 * and an in-process Kafka broker, with SDK devices publishing live throughout, and reports:
 *
 * <ol>
 *   <li>rebalance, scaling 1 → N → N-1 under load: the wall time from starting (or SIGTERM of) a
 *       replica to every shard owned again, each member's own rebalance time, and the longest
 *       gap in the committed data of each device whose follower changed;</li>
 *   <li>failover, {@code --kills} times: {@code kill -9} of a replica, then the time until every
 *       device it followed has a reading committed after the kill (p50, p99, max); the replica
 *       is started again and the cluster settles before the next kill.</li>
 * </ol>
 */
public final class ClusterBench {
    static final String USAGE = """
            bin/bench-gateway --gateways N [options]: N gateway replicas in cluster mode; rebalance and failover times
              --gateways N          replicas (2..8; default 3)
              --devices D           SDK devices publishing live (default 30)
              --interval MS         each device publishes a reading every MS ms (default 200)
              --kills K             kill -9 rounds for the failover figures (default 10)
              --session-timeout T   streembit.cluster.session-timeout (default: the product's, 6s)
              --heap H              each replica's -Xmx (default 384m)
              --results DIR         where the report goes (default bench-results)
            """;
    private static final Duration SETTLE = Duration.ofSeconds(120);

    record Options(
            Path jar,
            Path routesDir,
            Path resultsDir,
            int gateways,
            int devices,
            int intervalMs,
            int kills,
            String sessionTimeout,
            String heap) {
        static Options parse(String[] args) {
            int gateways = 3;
            int devices = 30;
            int interval = 200;
            int kills = 10;
            String session = null;
            String heap = "384m";
            Path results = Path.of("bench-results");
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--gateways" -> gateways = BenchCli.positive(option, BenchCli.value(args, ++i, option));
                    case "--devices" -> devices = BenchCli.positive(option, BenchCli.value(args, ++i, option));
                    case "--interval" -> interval = BenchCli.positive(option, BenchCli.value(args, ++i, option));
                    case "--kills" -> kills = BenchCli.notNegative(option, BenchCli.value(args, ++i, option));
                    case "--session-timeout" -> session = BenchCli.value(args, ++i, option);
                    case "--heap" -> heap = BenchCli.value(args, ++i, option);
                    case "--results" -> results = Path.of(BenchCli.value(args, ++i, option));
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            }
            if (gateways < 2 || gateways > 8) {
                throw new IllegalArgumentException("--gateways must be 2..8 (one replica: bin/bench-gateway alone)");
            }
            Path root = Path.of(System.getProperty("bench.root", "."));
            return new Options(
                    Path.of(System.getProperty(
                            "bench.jar",
                            root.resolve("src/gateway/target/quarkus-app/quarkus-run.jar")
                                    .toString())),
                    root.resolve("camel-routes"),
                    results,
                    gateways,
                    devices,
                    interval,
                    kills,
                    session,
                    heap);
        }
    }

    /** One replica over a steady window: what it committed, and the CPU it spent per committed batch. */
    record Steady(String replica, double batchesPerSecond, double cpuMillisPerBatch) {}

    /** One change of membership: how long until every shard was owned again, and what moved devices missed. */
    record Rebalance(String change, double settleSeconds, List<Long> memberMillis, int moved, double worstGapSeconds) {}

    private final Options options;
    private final StringBuilder report = new StringBuilder();

    private ClusterBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = BenchCli.options(args, USAGE, Options::parse, Options::jar, "bin/bench-gateway");
        if (options != null) {
            new ClusterBench(options).run();
            System.exit(0);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(options.resultsDir());
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path work = Files.createTempDirectory("streembit-bench-cluster-");
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew();
                KafkaBroker kafka = KafkaBroker.startNew(brokerSettings());
                DhtTestNetwork network = new DhtTestNetwork(5)) {
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            shared.put("quarkus.datasource.username", pg.user());
            shared.put("quarkus.datasource.password", pg.password());
            List<String> seeds = network.seeds();
            for (int i = 0; i < seeds.size(); i++) {
                shared.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
            }
            shared.put("streembit.routes.dir", options.routesDir().toString());
            if (options.sessionTimeout() != null) {
                shared.put("streembit.cluster.session-timeout", options.sessionTimeout());
            }
            try (GatewayReplicas replicas = new GatewayReplicas(
                    options.jar(),
                    options.heap(),
                    shared,
                    kafka.bootstrapServers(),
                    "bench-" + UUID.randomUUID(),
                    work)) {
                replicas.start(1, SETTLE);
                GatewayProcess first = replicas.get(0);
                VerifiedContactOffer offer = ContactOffers.parse(first.getOk("/api/gateway/offer"));
                List<DeviceAgent> devices = startDevices(network, offer, seeds, work);
                for (DeviceAgent device : devices) {
                    first.postJson("/api/devices", Json.text(Json.object().put("offer", device.contactOffer())));
                }
                try (ContinuousPublisher publisher =
                        new ContinuousPublisher(devices, Duration.ofMillis(options.intervalMs()))) {
                    Instant started = Instant.now();
                    waitUntil(() -> withReadingsAfter(pg, ids(devices), started) == devices.size(), "first readings");
                    List<Rebalance> rebalances = new ArrayList<>();
                    Map<Integer, List<Steady>> steady = new LinkedHashMap<>();
                    steady.put(1, steady(replicas));
                    Map<String, String> before = replicas.followers();
                    Instant t0 = Instant.now();
                    replicas.start(options.gateways() - 1, SETTLE);
                    rebalances.add(settle(replicas, pg, before, t0, "1 → " + options.gateways() + " (start)"));

                    before = replicas.followers();
                    GatewayProcess leaving = replicas.get(options.gateways() - 1);
                    t0 = Instant.now();
                    leaving.stop();
                    rebalances.add(settle(
                            replicas,
                            pg,
                            before,
                            t0,
                            options.gateways() + " → " + (options.gateways() - 1) + " (SIGTERM)"));
                    before = replicas.followers();
                    t0 = Instant.now();
                    leaving.start();
                    leaving.awaitReady(SETTLE);
                    rebalances.add(settle(
                            replicas,
                            pg,
                            before,
                            t0,
                            (options.gateways() - 1) + " → " + options.gateways() + " (start)"));
                    steady.put(options.gateways(), steady(replicas));

                    List<Double> failovers = new ArrayList<>();
                    for (int k = 0; k < options.kills(); k++) {
                        GatewayProcess victim = replicas.get(k % options.gateways());
                        Set<String> followed = GatewayReplicas.followed(victim);
                        Instant killed = Instant.now();
                        victim.kill();
                        waitUntil(
                                () -> withReadingsAfter(pg, followed, killed) == followed.size(),
                                "data of the killed replica's devices");
                        double seconds = Duration.between(killed, Instant.now()).toMillis() / 1000.0;
                        failovers.add(seconds);
                        System.out.printf(
                                "kill %d/%d: replica-%d (%d devices) -> data again after %.1f s%n",
                                k + 1, options.kills(), k % options.gateways(), followed.size(), seconds);
                        Map<String, String> beforeRestart = replicas.followers();
                        Instant restarted = Instant.now();
                        victim.start();
                        victim.awaitReady(SETTLE);
                        rebalances.add(settle(replicas, pg, beforeRestart, restarted, "killed replica started again"));
                    }
                    publisher.stop();
                    write(rebalances, failovers, steady, devices.size());
                }
                for (DeviceAgent device : devices) {
                    await(device.stop());
                }
            }
        }
        Path file = options.resultsDir().resolve("cluster-" + stamp + ".md");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("report: " + file);
    }

    /**
     * Brokers refuse a session under their {@code group.min.session.timeout.ms} (6 s by default),
     * so a shorter one asked for is allowed on the broker too, as an operator would have to.
     */
    private Map<String, String> brokerSettings() {
        if (options.sessionTimeout() == null) {
            return Map.of();
        }
        return Map.of("group.min.session.timeout.ms", "1000");
    }

    private List<DeviceAgent> startDevices(
            DhtTestNetwork network, VerifiedContactOffer offer, List<String> seeds, Path work) throws Exception {
        DhtOptions dht = DhtTestNetwork.options();
        dht = dht.withLimits(dht.limits().withMaxConnections(128));
        CommandHandler none = (action, input) -> CompletableFuture.completedFuture(input.get("value"));
        List<Future<DeviceAgent>> starting = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
            starting.add(DeviceAgent.start(
                    network.vertx,
                    DeviceOptions.builder(
                                    identity,
                                    Things.forDevice("thermostat", identity.account()),
                                    offer,
                                    Files.createTempDirectory(work, "device"))
                            .seeds(seeds)
                            .batch(10, Duration.ofMillis(options.intervalMs()))
                            .pollInterval(Duration.ofMillis(500))
                            .republish(Duration.ofSeconds(3), 200)
                            .dht(dht)
                            .build(),
                    none));
        }
        List<DeviceAgent> devices = new ArrayList<>();
        for (Future<DeviceAgent> device : starting) {
            devices.add(await(device));
        }
        return devices;
    }

    /**
     * Waits until the live replicas own every shard between them, each some, and follow every
     * device once; then measures the gap of each device whose follower changed since {@code before}.
     */
    private Rebalance settle(
            GatewayReplicas replicas, EmbeddedPostgres pg, Map<String, String> before, Instant t0, String change)
            throws Exception {
        int devices = options.devices();
        String[] state = {""};
        waitUntil(
                () -> {
                    List<Integer> owned = new ArrayList<>();
                    for (GatewayProcess replica : replicas.alive()) {
                        owned.add(GatewayReplicas.owned(replica).size());
                    }
                    Map<String, String> now = replicas.followers();
                    long twice =
                            now.values().stream().filter(f -> f.contains(",")).count();
                    state[0] = "shards owned " + owned + ", devices followed " + now.size() + " of " + devices
                            + ", by two " + twice;
                    return owned.stream().mapToInt(Integer::intValue).sum() == 64
                            && !owned.contains(0)
                            && now.size() == devices
                            && twice == 0;
                },
                () -> "the cluster to settle after " + change + " (" + state[0] + ")");
        double settled = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        Map<String, String> after = replicas.followers();
        Set<String> moved = new java.util.HashSet<>();
        before.forEach((device, follower) -> {
            if (!follower.equals(after.get(device))) {
                moved.add(device);
            }
        });
        List<Long> members = new ArrayList<>();
        for (GatewayProcess replica : replicas.alive()) {
            members.add(GatewayReplicas.view(replica)
                    .path("lastRebalance")
                    .path("durationMs")
                    .asLong(-1));
        }
        Instant since = t0.minusSeconds(2);
        waitUntil(() -> withReadingsAfter(pg, moved, Instant.now().minusMillis(500)) == moved.size(), "moved devices");
        double gap = moved.isEmpty() ? 0 : worstGap(pg, moved, since);
        System.out.printf(
                "%s: settled in %.1f s; members' rebalances %s ms; %d devices moved, longest gap %.1f s%n",
                change, settled, members, moved.size(), gap);
        return new Rebalance(change, settled, members, moved.size(), gap);
    }

    private static final Duration STEADY = Duration.ofSeconds(20);

    /** Each live replica's committed batches and process CPU over {@link #STEADY} of the same load. */
    private static List<Steady> steady(GatewayReplicas replicas) throws Exception {
        List<GatewayProcess> live = replicas.alive();
        double[] batches = new double[live.size()];
        long[] cpu = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
            batches[i] = GatewayReplicas.counter(live.get(i), "streembit_ingest_batches_total");
            cpu[i] = cpuNanos(live.get(i));
        }
        Thread.sleep(STEADY.toMillis());
        List<Steady> result = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            double committed = GatewayReplicas.counter(live.get(i), "streembit_ingest_batches_total") - batches[i];
            double cpuMillis = (cpuNanos(live.get(i)) - cpu[i]) / 1e6;
            Steady one = new Steady(
                    "replica-" + replicas.all().indexOf(live.get(i)),
                    committed / STEADY.toSeconds(),
                    committed == 0 ? Double.NaN : cpuMillis / committed);
            System.out.printf(
                    "steady, %d replicas: %s %.0f batches/s, %.2f ms CPU per batch%n",
                    live.size(), one.replica(), one.batchesPerSecond(), one.cpuMillisPerBatch());
            result.add(one);
        }
        return result;
    }

    private static long cpuNanos(GatewayProcess replica) {
        return ProcessHandle.of(replica.pid())
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(0L);
    }

    private void write(
            List<Rebalance> rebalances, List<Double> failovers, Map<Integer, List<Steady>> steady, int devices) {
        report.append("# Gateway scale-out: ").append(options.gateways()).append(" replicas\n\n");
        report.append("- machine: ").append(Machine.describe()).append('\n');
        report.append("- source: ")
                .append(Machine.source(Path.of(System.getProperty("bench.root", "."))))
                .append('\n');
        report.append("- ")
                .append(devices)
                .append(" SDK devices, one reading every ")
                .append(options.intervalMs())
                .append(" ms each; 64 shards; session timeout ")
                .append(
                        options.sessionTimeout() == null
                                ? "6s (default)"
                                : options.sessionTimeout()
                                        + " (the broker's group.min.session.timeout.ms lowered to 1000)")
                .append("\n\n");
        report.append("## Rebalance under load\n\n");
        report.append("A start is timed from launching the process, so it includes the JVM's start (about 15 s"
                + " here).\n\n");
        report.append("| change | every shard owned again after | members' own rebalance (ms) | devices moved |"
                + " longest gap in a moved device's data |\n");
        report.append("|---|---:|---|---:|---:|\n");
        for (Rebalance r : rebalances) {
            report.append(String.format(
                    "| %s | %.1f s | %s | %d | %.1f s |%n",
                    r.change(), r.settleSeconds(), r.memberMillis(), r.moved(), r.worstGapSeconds()));
        }
        report.append("\n## The same load on 1 and on ")
                .append(options.gateways())
                .append(" replicas (")
                .append(STEADY.toSeconds())
                .append(" s each)\n\n");
        report.append("| replicas | replica | batches/s committed | CPU per committed batch (ms) |\n");
        report.append("|---:|---|---:|---:|\n");
        steady.forEach((n, list) -> list.forEach(one -> report.append(String.format(
                "| %d | %s | %.0f | %.2f |%n", n, one.replica(), one.batchesPerSecond(), one.cpuMillisPerBatch()))));
        report.append("\n## Failover (kill -9 to the killed replica's devices committing again)\n\n");
        double[] values = failovers.stream().mapToDouble(Double::doubleValue).toArray();
        Latencies.Stats stats = Latencies.Stats.of(values);
        report.append(String.format(
                "| kills | p50 | p99 | max |%n|---:|---:|---:|---:|%n| %d | %.1f s | %.1f s | %.1f s |%n",
                stats.count(), stats.p50(), stats.p99(), stats.max()));
        report.append("\nEach kill: ").append(failovers).append('\n');
    }

    private static Set<String> ids(List<DeviceAgent> devices) {
        Set<String> ids = new java.util.HashSet<>();
        devices.forEach(d -> ids.add(d.account()));
        return ids;
    }

    private static long withReadingsAfter(EmbeddedPostgres pg, Set<String> devices, Instant after) throws Exception {
        if (devices.isEmpty()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement st = c.prepareStatement("SELECT count(DISTINCT device_id) FROM readings"
                        + " WHERE stored_at > ? AND device_id = ANY(?)")) {
            st.setObject(1, java.time.OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
            st.setArray(2, c.createArrayOf("text", devices.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The longest time between two commits of one of {@code devices} since {@code since}, seconds. */
    private static double worstGap(EmbeddedPostgres pg, Set<String> devices, Instant since) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement st = c.prepareStatement("SELECT coalesce(max(extract(epoch FROM gap)), 0) FROM ("
                        + " SELECT stored_at - lag(stored_at) OVER (PARTITION BY device_id ORDER BY stored_at) AS gap"
                        + " FROM (SELECT DISTINCT device_id, stored_at FROM readings"
                        + " WHERE stored_at > ? AND device_id = ANY(?)) s) g")) {
            st.setObject(1, java.time.OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            st.setArray(2, c.createArrayOf("text", devices.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Check check, String what) throws Exception {
        waitUntil(check, () -> what);
    }

    private static void waitUntil(Check check, java.util.function.Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting for " + what.get() + " after " + SETTLE.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }
}
