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
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.identity.Identity;
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
                    + " DHT seed nodes, the gateway (src/gateway/target/quarkus-app), and a simulated fleet registered"
                    + " at it. Prints the API, Swagger UI, metrics, a psql command and a curl that sends a command."
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
            description = "the gateway's HTTP port (default: ${DEFAULT-VALUE})")
    int httpPort;

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
            description = "Kafka bootstrap servers: telemetry and command results go there too")
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
        Step step = new Step(out, 5);

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

        step.begin("gateway");
        String apiKey = Hex.encode(random(32));
        Files.writeString(work.resolve("admin-api-key"), apiKey + "\n");
        Map<String, String> props = gatewayProperties(work, routes, jdbc, user, password, seedAddresses, apiKey);
        Path gatewayLog = work.resolve("gateway.log");
        GatewayLauncher gateway = GatewayLauncher.start(jar, props, httpPort, apiKey, gatewayLog);
        started.add(gateway);
        gateway.awaitReady(Duration.ofSeconds(120), gatewayLog);
        step.done("ready on " + gateway.url("") + " (log: " + gatewayLog + ")");

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
        progressUntilStopped(out, simulator, gateway, stop);
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

    /** The gateway's own count of readings committed to PostgreSQL, from its metrics. */
    static String storedReadings(GatewayLauncher gateway) {
        try {
            for (String line : gateway.get("/q/metrics").body().split("\n")) {
                if (line.startsWith("streembit_sink_postgres_readings_total ")) {
                    return String.format(Locale.ROOT, "%,d readings", (long)
                            Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
                }
            }
            return "0 readings";
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
