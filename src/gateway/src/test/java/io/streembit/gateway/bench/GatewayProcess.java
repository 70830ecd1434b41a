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
 * system properties: PostgreSQL sink only (no Kafka, no portal), a fresh key, the harness's DHT
 * as seeds. Its output goes to a log file. {@link #close} stops it (SIGTERM, then SIGKILL after
 * 15 s); a JVM shutdown hook does the same if the harness is interrupted.
 */
final class GatewayProcess implements AutoCloseable {
    static final String PASSCODE = "bench-Passcode-42";

    private final Process process;
    private final int httpPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread hook;

    private GatewayProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.hook = new Thread(this::kill, "gateway-process-kill");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static GatewayProcess start(BenchOptions options, EmbeddedPostgres pg, List<String> seeds, Path workDir, Path log)
            throws IOException {
        int httpPort = Ports.free();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", String.valueOf(httpPort));
        props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
        props.put("quarkus.datasource.username", pg.user());
        props.put("quarkus.datasource.password", pg.password());
        props.put("streembit.key.file", workDir.resolve("gateway.key").toString());
        props.put("streembit.key.passcode", PASSCODE);
        props.put("streembit.key.generate", "true");
        props.put("streembit.dht.host", "127.0.0.1");
        props.put("streembit.dht.port", "0");
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
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new GatewayProcess(p, httpPort, log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
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
            Thread.sleep(250);
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(String.valueOf(process.pid()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
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
