package io.streembit.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway (src/gateway/target/quarkus-app/quarkus-run.jar) as its own process, the
 * way an operator runs it: configured by system properties, its output in {@code gateway.log},
 * ready when {@code /q/health/ready} says so, stopped with SIGTERM (then SIGKILL after 20 s).
 */
final class GatewayLauncher implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final String apiKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayLauncher(Process process, int httpPort, String apiKey) {
        this.process = process;
        this.httpPort = httpPort;
        this.apiKey = apiKey;
    }

    static GatewayLauncher start(Path jar, Map<String, String> properties, int httpPort, String apiKey, Path log)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(
                    "the gateway is not built: " + jar + " (./mvnw -pl src/gateway -am package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new GatewayLauncher(process, httpPort, apiKey);
    }

    /** Waits until the gateway is ready (DHT joined, PostgreSQL up, routes running). */
    void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException, CliException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CliException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new CliException("the gateway was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("X-API-Key", apiKey)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("X-API-Key", apiKey)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit status once it has exited (137 after {@code kill -9}). */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM without waiting, so that several gateways stop at the same time; {@link #close()} waits. */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
