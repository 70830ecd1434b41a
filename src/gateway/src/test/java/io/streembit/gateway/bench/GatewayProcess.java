package io.streembit.gateway.bench;

import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway under test as its own OS process ({@code java -jar quarkus-run.jar}), configured by
 * system properties: PostgreSQL sink only (no Kafka, no portal), a key generated on first start,
 * the harness's DHT as seeds, fixed HTTP and DHT ports so that a restart comes back at the same
 * address (storing nodes keep notifying the node id and contact that subscribed). Output goes to
 * a log file. {@link #stop} sends SIGTERM and SIGKILL after 15 s; a JVM shutdown hook does the
 * same if the harness is interrupted.
 */
final class GatewayProcess implements AutoCloseable {
    static final String PASSCODE = "bench-Passcode-42";

    private final List<String> command;
    private final Path workDir;
    private final int httpPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread hook;
    private volatile Process process;

    private GatewayProcess(List<String> command, Path workDir, int httpPort, Path log) {
        this.command = command;
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.log = log;
        this.hook = new Thread(this::stop, "gateway-process-kill");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static GatewayProcess create(BenchOptions options, EmbeddedPostgres pg, List<String> seeds, Path workDir, Path log) {
        int[] ports = Ports.free(2);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", String.valueOf(ports[0]));
        props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
        props.put("quarkus.datasource.username", pg.user());
        props.put("quarkus.datasource.password", pg.password());
        props.put("streembit.key.file", workDir.resolve("gateway.key").toString());
        props.put("streembit.key.passcode", PASSCODE);
        props.put("streembit.key.generate", "true");
        props.put("streembit.dht.host", "127.0.0.1");
        props.put("streembit.dht.port", String.valueOf(ports[1]));
        for (int i = 0; i < seeds.size(); i++) {
            props.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
        }
        props.put("streembit.routes.dir", options.routesDir().toString());
        props.putAll(options.gatewayProps());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.gatewayHeap());
        for (Map.Entry<String, String> e : props.entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("-jar");
        command.add(options.jar().toString());
        return new GatewayProcess(List.copyOf(command), workDir, ports[0], log);
    }

    /** Starts the process (again); its output is appended to the log. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the gateway is running");
        }
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until GET /q/health/ready answers 200; fails if the process exits or {@code timeout} passes. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + " during start-up; see "
                        + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep waiting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String getOk(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    Path log() {
        return log;
    }

    /** Runs {@code jcmd <pid> args...}; returns its output (for JFR control). */
    String jcmd(String... args) throws IOException, InterruptedException {
        List<String> jcmd = new ArrayList<>();
        jcmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        jcmd.add(String.valueOf(process.pid()));
        jcmd.addAll(List.of(args));
        Process p = new ProcessBuilder(jcmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** SIGTERM (Quarkus shuts down gracefully), SIGKILL after 15 s. */
    synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from a shutdown hook
        }
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("streembit-bench-gateway-");
    }
}
