package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.device.sim.Simulator;
import io.streembit.device.sim.SimulatorOptions;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code streembit demo}: the whole system on one machine with nothing installed but a JDK: an
 * embedded PostgreSQL (or yours), a few DHT seed nodes, the packaged gateway as its own process,
 * and a simulated fleet of mixed devices registered at the gateway. Prints where to look and a
 * command to paste, shows progress, and runs until Ctrl-C, then stops everything it started.
 */
@Command(
        name = "demo",
        description = {
            "Run a whole Streembit system on this machine until Ctrl-C: an embedded PostgreSQL (or --postgres-url),"
                    + " DHT seed nodes, the gateway (src/gateway/target/quarkus-app; --gateways N: N replicas of it in"
                    + " one cluster), and a simulated fleet registered at it. Prints the API, Swagger UI, metrics, a"
                    + " psql command and a curl that sends a command."
        })
public final class DemoCommand implements Callable<Integer> {
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Terminal terminal;
    private final NodeCommand.StopSignal stopSignal;

    @Option(
            names = "--devices",
            defaultValue = "12",
            paramLabel = "N",
            description = "simulated devices, mixed kinds (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--seeds",
            defaultValue = "3",
            paramLabel = "N",
            description = "DHT seed nodes (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(
            names = "--rate",
            defaultValue = "0.5",
            paramLabel = "R",
            description = "readings per second per device (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            paramLabel = "P",
            description = "the gateway's HTTP port; with --gateways N, the first's: the others take the next ports"
                    + " (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
            names = "--gateways",
            defaultValue = "1",
            paramLabel = "N",
            description = "gateway replicas, 1 to " + DemoCluster.MAX_GATEWAYS + ". Above 1 they form one cluster"
                    + " that shares the devices by shards, owned through a Kafka consumer group: --kafka, else a"
                    + " broker started in this process. Kill one (kill -9 PID) and the others take its shards"
                    + " (default: ${DEFAULT-VALUE})")
    int gateways;

    @Option(
            names = "--dir",
            defaultValue = "run/demo",
            paramLabel = "DIR",
            description =
                    "working directory, emptied at start: keys, logs, PostgreSQL's data (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description =
                    "the repository: where src/gateway/target/quarkus-app and camel-routes are (default: the current directory)")
    Path home;

    @Option(
            names = "--postgres-url",
            paramLabel = "JDBC",
            description = "use this PostgreSQL instead of an embedded one")
    String postgresUrl;

    @Option(
            names = "--postgres-user",
            defaultValue = "postgres",
            paramLabel = "U",
            description = "with --postgres-url (default: ${DEFAULT-VALUE})")
    String postgresUser;

    @Option(names = "--postgres-password", paramLabel = "P", description = "with --postgres-url (or PGPASSWORD)")
    String postgresPassword;

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers: telemetry and command results go there too; with --gateways"
                    + " above 1, the replicas' consumer group too")
    String kafka;

    @Option(names = "--portal-url", paramLabel = "URL", description = "a REST portal: every batch is POSTed there too")
    String portalUrl;

    @Option(names = "--duration", paramLabel = "SEC", description = "stop by itself after SEC seconds")
    Long duration;

    public DemoCommand(Terminal terminal) {
        this(terminal, NodeCommand::onProcessSignals);
    }

    DemoCommand(Terminal terminal, NodeCommand.StopSignal stopSignal) {
        this.terminal = terminal;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || seeds < 1) {
            throw new CliException("--devices and --seeds are at least 1");
        }
        DemoCluster.validate(gateways, httpPort);
        Path root = home == null ? Path.of("").toAbsolutePath() : home.toAbsolutePath();
        Path jar = root.resolve("src/gateway/target/quarkus-app/quarkus-run.jar");
        Path routes = root.resolve("camel-routes");
        if (!Files.isDirectory(routes)) {
            throw new CliException("no camel-routes directory in " + root + " (run from the repository, or --home)");
        }
        Path work = dir.toAbsolutePath();
        clean(work);
        PrintStream out = terminal.out();
        out.println("streembit demo: a whole Streembit system on this machine; Ctrl-C stops it. Files: " + work);
        List<AutoCloseable> started = new ArrayList<>();
        try (StopRequest stop = new StopRequest(stopSignal, "streembit-demo-shutdown", STOP_TIMEOUT)) {
            try {
                run(out, root, jar, routes, work, started, stop);
            } finally {
                out.println("stopping ...");
                for (int i = started.size() - 1; i >= 0; i--) {
                    try {
                        started.get(i).close();
                    } catch (Exception e) {
                        terminal.err().println("streembit: warning: " + e.getMessage());
                    }
                }
                out.println("stopped.");
                out.flush();
            }
        }
        return StreembitCli.EXIT_OK;
    }

    private void run(
            PrintStream out, Path root, Path jar, Path routes, Path work, List<AutoCloseable> started, StopRequest stop)
            throws Exception {
        boolean cluster = gateways > 1;
        Step step = new Step(out, cluster ? 6 : 5);

        step.begin("PostgreSQL");
        String jdbc;
        String psql;
        String psqlNote = "";
        String user = postgresUser;
        String password = postgresPassword != null ? postgresPassword : terminal.env("PGPASSWORD");
        if (postgresUrl == null) {
            DemoPostgres pg = DemoPostgres.start(work.resolve("postgres"));
            started.add(pg);
            jdbc = pg.jdbcUrl();
            psql = pg.psql();
            user = DemoPostgres.USER;
            password = DemoPostgres.PASSWORD;
            step.done("embedded PostgreSQL on port " + pg.port());
        } else {
            PostgresAddress address = PostgresAddress.fromJdbcUrl(postgresUrl, postgresUser);
            jdbc = postgresUrl;
            psql = address.psql();
            // the password stays out of the printed command: it would land in shell histories
            psqlNote = " (psql reads the password from PGPASSWORD: export it first, or type it when asked)";
            step.done("yours: " + address);
        }

        String clusterKafka = null;
        if (cluster) {
            step.begin("Kafka for the gateways' consumer group");
            clusterKafka = clusterKafka(work, started);
            step.done(kafka != null ? "yours: " + kafka : "embedded broker on " + clusterKafka);
        }

        step.begin("DHT seed nodes");
        Vertx vertx = DhtRuntime.vertx(2, 16);
        started.add(() -> DhtRuntime.close(vertx, STOP_TIMEOUT));
        List<HostPort> seedAddresses = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            DhtNode node = DhtRuntime.await(
                    DhtNode.start(
                            vertx,
                            Identity.generate(RANDOM),
                            DhtOptions.defaults().withHost("127.0.0.1").withPort(0)),
                    NodeCommand.START_TIMEOUT,
                    "starting a seed");
            started.add(() -> DhtRuntime.await(node.stop(), STOP_TIMEOUT, "stopping a seed"));
            if (!seedAddresses.isEmpty()) {
                DhtRuntime.await(node.bootstrap(seedAddresses), NodeCommand.START_TIMEOUT, "joining the seeds");
            }
            seedAddresses.add(new HostPort("127.0.0.1", node.port()));
        }
        step.done(seeds + " on " + DhtRuntime.joined(seedAddresses));

        String apiKey = Hex.encode(random(32));
        Files.writeString(work.resolve("admin-api-key"), apiKey + "\n");
        Map<String, String> props = gatewayProperties(work, routes, jdbc, user, password, seedAddresses, apiKey);
        GatewayLauncher gateway;
        GatewayReplicas replicas = null;
        if (!cluster) {
            step.begin("gateway");
            Path gatewayLog = work.resolve("gateway.log");
            gateway = GatewayLauncher.start(jar, props, httpPort, apiKey, gatewayLog);
            started.add(gateway);
            gateway.awaitReady(Duration.ofSeconds(120), gatewayLog);
            step.done("ready on " + gateway.url("") + " (log: " + gatewayLog + ")");
        } else {
            step.begin(gateways + " gateway replicas");
            createKeyFile(Path.of(props.get("streembit.key.file")), props.get("streembit.key.passcode"));
            replicas = new GatewayReplicas();
            started.add(replicas);
            replicas.start(jar, replicaProperties(props, clusterKafka), replicaPorts(), apiKey, work);
            gateway = replicas.first().gateway();
            step.done("ready on " + gateway.url("") + " and the next " + (gateways - 1) + " ports (logs: "
                    + work.resolve("gateway-N.log") + ")");
        }

        step.begin("simulated fleet");
        VerifiedContactOffer offer =
                ContactOffers.parse(gateway.get("/api/gateway/offer").body().trim());
        char[] passcode = passcode().toCharArray();
        Path offers = work.resolve("offers");
        SimulatorOptions options = SimulatorOptions.of(offer, devices, work.resolve("devices"), passcode)
                .withSeeds(seedAddresses)
                .withRate(rate)
                .withOffersDir(offers);
        Vertx fleetVertx = DhtRuntime.vertx(2, 8);
        started.add(() -> DhtRuntime.close(fleetVertx, STOP_TIMEOUT));
        Simulator simulator =
                DhtRuntime.await(Simulator.start(fleetVertx, options), Duration.ofMinutes(2), "starting the fleet");
        started.add(() -> DhtRuntime.await(simulator.stop(), STOP_TIMEOUT, "stopping the fleet"));
        step.done(devices + " devices (" + kinds(options) + ")");

        step.begin("registering the devices");
        Map<String, String> firstOfKind = register(gateway, offers, options);
        step.done(devices + " registered (labels: kind)");

        printWhereToLook(out, gateway, psql, psqlNote, apiKey, firstOfKind);
        if (replicas == null) {
            progressUntilStopped(out, simulator, gateway, stop);
        } else {
            ReplicaWatch watch = new ReplicaWatch(replicas, out);
            watch.awaitSpread(Duration.ofSeconds(30));
            printReplicas(out, watch, replicas);
            progressUntilStopped(out, simulator, replicas, watch, stop);
        }
    }

    /**
     * The Kafka of the replicas' consumer group: --kafka, else a broker started here (closed with
     * the rest). Returns its bootstrap servers.
     */
    String clusterKafka(Path work, List<AutoCloseable> started) throws IOException, CliException {
        if (kafka != null) {
            return kafka;
        }
        DemoKafka broker = DemoKafka.start(work.resolve("kafka"));
        started.add(broker);
        return broker.bootstrapServers();
    }

    /** Each replica: the single gateway's settings, its own ports, and the cluster's. */
    List<Map<String, String>> replicaProperties(Map<String, String> single, String clusterKafka) throws IOException {
        int[] dhtPorts = FreePorts.of(gateways);
        List<Map<String, String>> all = new ArrayList<>();
        for (int i = 0; i < gateways; i++) {
            Map<String, String> props = new LinkedHashMap<>(single);
            props.put("quarkus.http.port", String.valueOf(DemoCluster.httpPort(httpPort, i)));
            // each replica is a DHT node of its own (with a fresh node key each start: no data dir)
            props.put("streembit.dht.port", String.valueOf(dhtPorts[i]));
            props.putAll(DemoCluster.properties(i, clusterKafka));
            all.add(props);
        }
        return all;
    }

    /** The gateway key every replica shares, as the gateway itself would create it. */
    private static void createKeyFile(Path file, String passcode) throws IOException, ProtocolException {
        char[] chars = passcode.toCharArray();
        try {
            KeyFile.create(Identity.generate(RANDOM), chars, KdfParams.DEFAULT, RANDOM)
                    .write(file);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private List<Integer> replicaPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < gateways; i++) {
            ports.add(DemoCluster.httpPort(httpPort, i));
        }
        return ports;
    }

    private static void printReplicas(PrintStream out, ReplicaWatch watch, GatewayReplicas replicas) {
        out.println("Gateway replicas: one cluster, " + DemoCluster.SHARDS + " shards (GET /api/cluster on any of"
                + " them, X-API-Key above):");
        watch.printTable();
        GatewayReplicas.Replica victim = replicas.all().get(replicas.all().size() - 1);
        out.println();
        out.println("Kill one and the others take its shards within seconds; the fleet goes on:");
        out.println("  kill -9 " + victim.gateway().pid() + "      # " + victim.name());
        out.println();
        out.flush();
    }

    private Map<String, String> gatewayProperties(
            Path work,
            Path routes,
            String jdbc,
            String user,
            String password,
            List<HostPort> seedAddresses,
            String apiKey)
            throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", String.valueOf(httpPort));
        props.put("quarkus.datasource.jdbc.url", jdbc);
        props.put("quarkus.datasource.username", user);
        if (password != null) {
            props.put("quarkus.datasource.password", password);
        }
        props.put("streembit.key.file", work.resolve("gateway.key").toString());
        props.put("streembit.key.passcode", passcode());
        props.put("streembit.key.generate", "true");
        props.put("streembit.dht.host", "127.0.0.1");
        props.put("streembit.dht.port", String.valueOf(freePort()));
        for (int i = 0; i < seedAddresses.size(); i++) {
            props.put("streembit.dht.seeds[" + i + "]", seedAddresses.get(i).toString());
        }
        props.put("streembit.routes.dir", routes.toString());
        props.put(
                "streembit.auth.api-keys.demo.sha256",
                Hex.encode(Hashes.sha256(apiKey.getBytes(StandardCharsets.UTF_8))));
        props.put("streembit.auth.api-keys.demo.roles", "admin");
        if (kafka != null) {
            props.put("streembit.sinks.kafka.bootstrap-servers", kafka);
        }
        if (portalUrl != null) {
            props.put("streembit.sinks.portal.url", portalUrl);
        }
        return props;
    }

    /** Registers every device by its offer file, labelled with its kind; returns one device id per kind. */
    private static Map<String, String> register(GatewayLauncher gateway, Path offers, SimulatorOptions options)
            throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(offers)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".offer"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        Map<String, String> firstOfKind = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String kind = options.kindOf(i);
            ObjectNode body = Json.object();
            body.put("offer", Files.readString(files.get(i)).trim());
            body.put("name", String.format(Locale.ROOT, "%s-%02d", kind, i));
            body.putObject("labels").put("kind", kind);
            HttpResponse<String> answer = gateway.postJson("/api/devices", Json.text(body));
            if (answer.statusCode() != 201) {
                throw new CliException("registering " + files.get(i).getFileName() + ": HTTP " + answer.statusCode()
                        + " " + answer.body());
            }
            JsonNode device = Json.parse(answer.body().getBytes(StandardCharsets.UTF_8), "device");
            firstOfKind.putIfAbsent(kind, device.get("id").asText());
        }
        return firstOfKind;
    }

    private static void printWhereToLook(
            PrintStream out,
            GatewayLauncher gateway,
            String psql,
            String psqlNote,
            String apiKey,
            Map<String, String> firstOfKind) {
        String thermostat = firstOfKind.getOrDefault(
                "thermostat", firstOfKind.values().iterator().next());
        out.println();
        out.println("Ready. Where to look:");
        out.println("  API (X-API-Key below)  " + gateway.url("/api/devices"));
        out.println("  Swagger UI             " + gateway.url("/q/swagger-ui"));
        out.println("  metrics                " + gateway.url("/q/metrics"));
        out.println("  health                 " + gateway.url("/q/health/ready"));
        out.println("  admin API key          " + apiKey);
        out.println();
        out.println("Watch readings arrive" + psqlNote + ":");
        out.println("  " + psql
                + " -c 'SELECT device_id, name, count(*), max(ts) FROM readings GROUP BY 1, 2 ORDER BY 1, 2'");
        out.println();
        out.println("Send a command to a thermostat, then follow it:");
        out.println("  curl -s -H 'X-API-Key: " + apiKey + "' -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"action\": \"setTargetTemperature\", \"input\": {\"value\": 22.5}}' \\");
        out.println("    " + gateway.url("/api/devices/" + thermostat + "/commands"));
        out.println(
                "  curl -s -H 'X-API-Key: " + apiKey + "' " + gateway.url("/api/devices/" + thermostat + "/commands"));
        out.println();
        out.flush();
    }

    private void progressUntilStopped(PrintStream out, Simulator simulator, GatewayLauncher gateway, StopRequest stop)
            throws Exception {
        long start = System.nanoTime();
        while (true) {
            long waitMillis = 10_000;
            if (duration != null) {
                long left = duration * 1000 - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                waitMillis = Math.min(waitMillis, left);
            }
            if (stop.await(waitMillis)) {
                return;
            }
            out.println(simulator.progressLine() + " | stored by the gateway: " + storedReadings(gateway));
            out.flush();
        }
    }

    /** Progress as with one gateway, each replica's count, and a look at the replicas every second. */
    private void progressUntilStopped(
            PrintStream out, Simulator simulator, GatewayReplicas replicas, ReplicaWatch watch, StopRequest stop)
            throws Exception {
        long start = System.nanoTime();
        long nextProgress = start + Duration.ofSeconds(10).toNanos();
        while (true) {
            long waitMillis = 1_000;
            if (duration != null) {
                long left = duration * 1000 - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                waitMillis = Math.min(waitMillis, left);
            }
            if (stop.await(waitMillis)) {
                return;
            }
            watch.check();
            if (System.nanoTime() - nextProgress >= 0) {
                nextProgress += Duration.ofSeconds(10).toNanos();
                List<String> counts = new ArrayList<>();
                for (GatewayReplicas.Replica replica : replicas.all()) {
                    counts.add(replica.name() + " "
                            + (replica.gateway().alive() ? storedCount(replica.gateway()) : "gone"));
                }
                out.println(simulator.progressLine() + " | stored by " + String.join(", ", counts));
                out.flush();
            }
        }
    }

    /** The gateway's own count of readings committed to PostgreSQL, from its metrics. */
    static String storedReadings(GatewayLauncher gateway) {
        String count = storedCount(gateway);
        return count.startsWith("?") ? count : count + " readings";
    }

    /** "1,234", or "? (why)": a replica counts what it committed itself since it started. */
    static String storedCount(GatewayLauncher gateway) {
        try {
            for (String line : gateway.get("/q/metrics").body().split("\n")) {
                if (line.startsWith("streembit_sink_postgres_readings_total ")) {
                    return String.format(
                            Locale.ROOT, "%,d", (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
                }
            }
            return "0";
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static String kinds(SimulatorOptions options) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (int i = 0; i < options.devices(); i++) {
            kinds.merge(options.kindOf(i), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n + " " + kind));
        return String.join(", ", parts);
    }

    private static void clean(Path work) throws IOException {
        if (Files.exists(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
    }

    /** A fresh passcode that passes the key files' policy (letters of both cases, digits, a symbol). */
    private static String passcode() {
        return "Demo-" + Hex.encode(random(12)) + "-Pass";
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** "[2/5] DHT seed nodes ... 3 on ... (0.3 s)" */
    private static final class Step {
        private final PrintStream out;
        private final int of;
        private int n;
        private long started;

        Step(PrintStream out, int of) {
            this.out = out;
            this.of = of;
        }

        void begin(String what) {
            n++;
            started = System.nanoTime();
            out.print("[" + n + "/" + of + "] " + what + " ... ");
            out.flush();
        }

        void done(String result) {
            out.printf(Locale.ROOT, "%s (%.1f s)%n", result, (System.nanoTime() - started) / 1e9);
            out.flush();
        }
    }
}
