package io.streembit.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.gateway.testing.KafkaBroker;
import io.streembit.gateway.testing.PortalStub;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.streembit.it.DhtProcessesIT.JAR;
import static io.streembit.it.DhtProcessesIT.JAVA;
import static io.streembit.it.DhtProcessesIT.JSON;
import static io.streembit.it.DhtProcessesIT.JVM_OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system as separate OS processes, as an operator runs it: five `streembit node`
 * seeds, the packaged gateway against a real PostgreSQL and a real Kafka broker, a `streembit
 * simulate` fleet of 100 devices, an HTTP portal stub. Mid-stream the gateway and two seeds are
 * killed with SIGKILL, and the gateway is started again. Checked from the outside only (SQL, a
 * Kafka consumer, what the portal received, the REST API): every reading the fleet published is
 * in PostgreSQL exactly once and every batch in Kafka and at the portal, and commands sent after
 * the restart come back with their device's result.
 */
class SystemEndToEndIT {
    private static final Path HOME =
            Path.of(System.getProperty("streembit.home", "..")).toAbsolutePath().normalize();
    private static final Path GATEWAY_JAR = HOME.resolve("src/gateway/target/quarkus-app/quarkus-run.jar");
    private static final int DEVICES = 100;
    private static final String PASSCODE = "Green-Valley-4711";
    private static final Duration SETTLE = Duration.ofSeconds(180);

    @Test
    void aFleetOfProcessesLosesNothingWhenTheGatewayAndTwoSeedsAreKilled() throws Exception {
        Path dir = Files.createTempDirectory("streembit-e2e-");
        List<Process> processes = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew();
                KafkaBroker kafka = KafkaBroker.startNew();
                PortalStub portal = new PortalStub()) {
            List<String> seeds = new ArrayList<>();
            List<Process> seedProcesses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                List<String> args = new ArrayList<>(List.of("node", "--port", "0"));
                if (!seeds.isEmpty()) {
                    args.addAll(List.of("--seed", seeds.get(0)));
                }
                Process seed = streembit(dir, Map.of(), JVM_OPTIONS, args)
                        .redirectError(dir.resolve("seed-" + i + ".log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                processes.add(seed);
                seedProcesses.add(seed);
                JsonNode started = JSON.readTree(firstLine(seed));
                seeds.add("127.0.0.1:" + started.get("port").asInt());
            }

            int httpPort = freePort();
            Map<String, String> props = new LinkedHashMap<>();
            props.put("quarkus.http.host", "127.0.0.1");
            props.put("quarkus.http.port", String.valueOf(httpPort));
            props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            props.put("quarkus.datasource.username", pg.user());
            props.put("quarkus.datasource.password", pg.password());
            props.put("streembit.key.file", dir.resolve("gateway.key").toString());
            props.put("streembit.key.passcode", PASSCODE);
            props.put("streembit.key.generate", "true");
            props.put("streembit.dht.port", String.valueOf(freePort()));
            for (int i = 0; i < seeds.size(); i++) {
                props.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
            }
            props.put("streembit.routes.dir", HOME.resolve("camel-routes").toString());
            props.put("streembit.sinks.kafka.bootstrap-servers", kafka.bootstrapServers());
            props.put("streembit.sinks.portal.url", portal.url("/ingest"));
            props.put("streembit.ingest.poll-interval", "1s");
            props.put("streembit.ingest.ack-interval", "1s");
            try (GatewayProcess gateway =
                    new GatewayProcess(GATEWAY_JAR, "512m", props, dir, dir.resolve("gateway.log"))) {
                gateway.start();
                gateway.awaitReady(Duration.ofSeconds(120));
                Path offer = dir.resolve("gateway.offer");
                Files.writeString(offer, gateway.getOk("/api/gateway/offer"));

                Path offers = dir.resolve("offers");
                Path summary = dir.resolve("simulate.out");
                Process fleet = streembit(
                                dir,
                                Map.of("STREEMBIT_PASSCODE", PASSCODE, "STREEMBIT_KDF", "insecure-test"),
                                List.of("-Xmx768m"),
                                List.of(
                                        "simulate",
                                        "--gateway-offer",
                                        offer.toString(),
                                        "--seed",
                                        seeds.get(0),
                                        "--seed",
                                        seeds.get(4),
                                        "--devices",
                                        String.valueOf(DEVICES),
                                        "--rate",
                                        "0.2",
                                        "--batch",
                                        "5",
                                        "--keys",
                                        dir.resolve("keys").toString(),
                                        "--offers-out",
                                        offers.toString(),
                                        "--drain",
                                        "150"))
                        .redirectOutput(summary.toFile())
                        .redirectError(dir.resolve("simulate.err").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                processes.add(fleet);
                awaitTrue(() -> countFiles(offers) == DEVICES, Duration.ofSeconds(120), "the fleet's offers");

                List<String> ids = new ArrayList<>();
                List<String> thermostats = new ArrayList<>();
                try (Stream<Path> files = Files.list(offers)) {
                    for (Path file : files.sorted().toList()) {
                        String body = JSON.createObjectNode()
                                .put("offer", Files.readString(file).trim())
                                .toString();
                        var answer = gateway.postJson("/api/devices", body);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                        JsonNode device = JSON.readTree(answer.body());
                        ids.add(device.get("id").asText());
                        if (device.path("td").path("actions").has("setTargetTemperature")) {
                            thermostats.add(device.get("id").asText());
                        }
                    }
                }
                String inFleet = "device_id IN ("
                        + String.join(
                                ",", ids.stream().map(id -> "'" + id + "'").toList()) + ")";
                awaitTrue(
                        () -> count(pg, "SELECT count(*) FROM readings WHERE " + inFleet) > 300,
                        SETTLE,
                        "readings before the kill");

                // mid-stream: the gateway and two seeds die without a word
                gateway.kill();
                seedProcesses.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                seedProcesses.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long atKill = count(pg, "SELECT count(*) FROM readings WHERE " + inFleet);
                Thread.sleep(5_000); // the fleet keeps publishing into the DHT meanwhile
                gateway.start();
                gateway.awaitReady(Duration.ofSeconds(120));
                awaitTrue(
                        () -> count(pg, "SELECT count(*) FROM readings WHERE " + inFleet) > atKill + 300,
                        SETTLE,
                        "readings after the restart");

                // commands round-trip through the restarted gateway, the surviving seeds and the fleet
                List<String> commands = new ArrayList<>();
                for (String thermostat : thermostats.subList(0, 5)) {
                    var sent = gateway.postJson(
                            "/api/devices/" + thermostat + "/commands",
                            "{\"action\": \"setTargetTemperature\", \"input\": {\"value\": 21.5}, \"timeoutSeconds\": 120}");
                    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                    commands.add(JSON.readTree(sent.body()).get("id").asText());
                }
                for (String id : commands) {
                    awaitTrue(() -> status(gateway, id).equals("SUCCEEDED"), Duration.ofSeconds(60), "command " + id);
                }

                // the fleet is told to stop (SIGTERM): it takes no more readings, waits until the
                // gateway acknowledged every entry (--drain), then says what it published
                fleet.toHandle().destroy();
                assertThat(fleet.waitFor(180, TimeUnit.SECONDS))
                        .as("the fleet stops")
                        .isTrue();
                assertThat(fleet.exitValue()).isZero();
                String out = Files.readString(summary);
                assertThat(number(out, "commands\\s+([\\d,]+) executed")).isEqualTo(commands.size());
                assertThat(number(out, "([\\d,]+) still buffered")).as(out).isZero();
                long readings = number(out, "readings\\s+([\\d,]+)");
                long batches = number(out, "batches\\s+([\\d,]+) published");

                awaitTrue(
                        () -> count(pg, "SELECT count(*) FROM readings WHERE " + inFleet) >= readings,
                        SETTLE,
                        "every reading (" + readings + ") in PostgreSQL; the fleet said:\n" + out);
                assertThat(count(pg, "SELECT count(*) FROM readings WHERE " + inFleet))
                        .as(out)
                        .isEqualTo(readings);
                Set<String> inPostgres =
                        pairs(pg, "SELECT device_id, seq FROM readings WHERE " + inFleet + " GROUP BY device_id, seq");
                assertThat(inPostgres).hasSize((int) batches);
                assertThat(count(
                                pg,
                                "SELECT count(*) FROM (SELECT 1 FROM readings WHERE " + inFleet
                                        + " GROUP BY device_id, seq, idx HAVING count(*) > 1) d"))
                        .isZero();

                Set<String> inKafka = new HashSet<>();
                for (ConsumerRecord<String, String> r :
                        kafka.consumeAll("streembit.telemetry", (int) batches, SETTLE)) {
                    JsonNode batch = JSON.readTree(r.value());
                    inKafka.add(batch.get("device").asText() + "#"
                            + batch.get("seq").asLong());
                }
                inKafka.retainAll(inPostgres);
                assertThat(inKafka).as("every batch in Kafka").isEqualTo(inPostgres);

                awaitTrue(
                        () -> atPortal(portal).containsAll(inPostgres),
                        Duration.ofSeconds(60),
                        "every batch at the portal");
            }
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            for (Process p : processes) {
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** A `streembit` JVM with {@code jvm} options (seeds: small and quick; the fleet: 100 DHT nodes, a bigger heap). */
    private static ProcessBuilder streembit(Path dir, Map<String, String> env, List<String> jvm, List<String> args) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvm);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STREEMBIT_"));
        builder.environment().putAll(env);
        return builder;
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (java.io.IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
    }

    private static String status(GatewayProcess gateway, String id) {
        try {
            return JSON.readTree(gateway.getOk("/api/commands/" + id))
                    .get("status")
                    .asText();
        } catch (Exception e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static Set<String> atPortal(PortalStub portal) {
        Set<String> seen = new HashSet<>();
        for (String body : portal.accepted()) {
            try {
                JsonNode batch = JSON.readTree(body);
                seen.add(batch.get("device").asText() + "#" + batch.get("seq").asLong());
            } catch (Exception e) {
                throw new AssertionError("the portal got a body that is not a telemetry batch: " + body, e);
            }
        }
        return seen;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static long count(EmbeddedPostgres pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> pairs(EmbeddedPostgres pg, String sql) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "#" + rs.getLong(2));
            }
        }
        return out;
    }

    private static long countFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".offer")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
