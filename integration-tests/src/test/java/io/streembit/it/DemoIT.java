package io.streembit.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streembit.it.DhtProcessesIT.JAR;
import static io.streembit.it.DhtProcessesIT.JAVA;
import static io.streembit.it.DhtProcessesIT.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command as a newcomer runs it: {@code streembit demo} starts an embedded
 * PostgreSQL, seed nodes, the packaged gateway and a fleet, and prints where to look. The test
 * follows the printed instructions from the outside: the admin key and the command URL it
 * printed send a command that a simulated thermostat runs, the progress shows readings stored,
 * and SIGTERM stops everything (exit 0, the gateway's port closed).
 */
class DemoIT {
    private static final Path HOME =
            Path.of(System.getProperty("streembit.home", "..")).toAbsolutePath().normalize();
    private static final Pattern KEY = Pattern.compile("admin API key\\s+([0-9a-f]{64})");
    private static final Pattern COMMAND_URL =
            Pattern.compile("^\\s+(http://127\\.0\\.0\\.1:\\d+/api/devices/[0-9a-f]{40}/commands)$");
    private static final Pattern STORED = Pattern.compile("stored by the gateway: ([\\d,]+) readings");

    @Test
    void theDemoStartsTheWholeSystemItsPrintedCommandWorksAndCtrlCStopsEverything() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("streembit-demo-it");
        Process demo = new ProcessBuilder(
                        JAVA,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        JAR.toString(),
                        "demo",
                        "--home",
                        HOME.toString(),
                        "--dir",
                        dir.resolve("demo").toString(),
                        "--devices",
                        "6",
                        "--http-port",
                        String.valueOf(port),
                        "--duration",
                        "240")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, l -> l.equals("Ready. Where to look:"), Duration.ofSeconds(180), demo);
            String key = group(lines, KEY);
            String commandUrl = group(lines, COMMAND_URL);
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  psql 'postgresql://"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("/q/swagger-ui"));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> sent = http.send(
                    HttpRequest.newBuilder(URI.create(commandUrl))
                            .header("X-API-Key", key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"action\": \"setTargetTemperature\", \"input\": {\"value\": 22.5}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            String id = JSON.readTree(sent.body()).get("id").asText();
            String commandPath = "http://127.0.0.1:" + port + "/api/commands/" + id;
            JsonNode command = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                command = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(commandPath))
                                        .header("X-API-Key", key)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                if (command.get("status").asText().equals("SUCCEEDED")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(command.get("status").asText()).as(command.toString()).isEqualTo("SUCCEEDED");
            assertThat(command.get("output").decimalValue()).isEqualByComparingTo("22.5");

            String progress = awaitLine(
                    lines,
                    l -> {
                        Matcher m = STORED.matcher(l);
                        return m.find() && Long.parseLong(m.group(1).replace(",", "")) > 0;
                    },
                    Duration.ofSeconds(60),
                    demo);
            assertThat(progress).contains("6 devices");

            // SIGTERM, as Ctrl-C sends SIGINT; through the handle: Process.destroy() also closes the
            // pipe, and the demo's last lines would be lost
            demo.toHandle().destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS))
                    .as("the demo stops within 60 s")
                    .isTrue();
            reader.join(5_000);
            assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).contains("stopped.");
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                throw new AssertionError("the gateway still listens on " + port + " after the demo stopped");
            } catch (java.net.ConnectException expected) {
                // the gateway process is gone
            }
        } finally {
            demo.destroyForcibly();
            demo.waitFor(20, TimeUnit.SECONDS);
        }
    }

    static String awaitLine(List<String> lines, Predicate<String> wanted, Duration timeout, Process demo)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : new ArrayList<>(lines)) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!demo.isAlive()) {
                throw new AssertionError("the demo exited with " + demo.exitValue() + ":\n" + String.join("\n", lines));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such line within " + timeout.toSeconds() + " s:\n" + String.join("\n", lines));
    }

    static String group(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no line matches " + pattern + ":\n" + String.join("\n", lines));
    }
}
