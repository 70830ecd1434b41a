package io.streembit.gateway.testing;

import io.streembit.gateway.security.ApiKey;
import io.streembit.gateway.security.ApiKeyAuthenticationMechanism;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code java -jar quarkus-run.jar}) as its own OS process, as an operator
 * runs it, configured by system properties. Fixed HTTP and DHT ports, so a restart comes back
 * at the same address. Output is appended to a log file. {@link #kill} is {@code kill -9};
 * {@link #stop} is SIGTERM, then SIGKILL after 15 s; a JVM shutdown hook stops it too, so no
 * test leaves a gateway behind.
 *
 * <p>The process accepts one admin API key, made up here: its SHA-256 goes on the command line as
 * {@code streembit.auth.api-keys.harness.*} (the key itself never does), and {@link #get} and
 * {@link #postJson} send it. {@link #getWith} sends only the header it is given.
 */
public final class GatewayProcess implements AutoCloseable {
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workDir;
    private final int httpPort;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiKey = HexFormat.of().formatHex(randomBytes());
    private final Thread hook;
    private volatile Process process;

    /**
     * @param jar        src/gateway/target/quarkus-app/quarkus-run.jar
     * @param heap       the -Xmx value, e.g. "512m"
     * @param properties the gateway's configuration (quarkus.* and streembit.*); quarkus.http.port must be set
     */
    public GatewayProcess(Path jar, String heap, Map<String, String> properties, Path workDir, Path log) {
        this(jar, heap, List.of(), properties, workDir, log);
    }

    /** As above, with JVM options before {@code -jar} (e.g. the container image's collector). */
    public GatewayProcess(
            Path jar, String heap, List<String> jvmOptions, Map<String, String> properties, Path workDir, Path log) {
        this(
                jar,
                heap,
                jvmOptions,
                properties,
                null,
                Integer.parseInt(properties.get("quarkus.http.port")),
                workDir,
                log);
    }

    /**
     * The gateway configured the way a container configures it: by environment variables, which
     * replace the inherited environment entirely ({@code PATH} aside).
     *
     * @param jvmOptions  options before {@code -jar}, e.g. the image's {@code JAVA_OPTS_APPEND}
     * @param environment the process's environment
     * @param httpPort    the port the environment makes the gateway listen on
     */
    public static GatewayProcess withEnvironment(
            Path jar,
            String heap,
            List<String> jvmOptions,
            Map<String, String> environment,
            int httpPort,
            Path workDir,
            Path log) {
        return new GatewayProcess(jar, heap, jvmOptions, Map.of(), environment, httpPort, workDir, log);
    }

    private GatewayProcess(
            Path jar,
            String heap,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment,
            int httpPort,
            Path workDir,
            Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOptions);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dstreembit.auth.api-keys.harness.sha256=" + HexFormat.of().formatHex(ApiKey.sha256(apiKey)));
        cmd.add("-Dstreembit.auth.api-keys.harness.roles=admin");
        cmd.add("-jar");
        cmd.add(jar.toString());
        this.command = List.copyOf(cmd);
        this.environment = environment == null ? null : Map.copyOf(environment);
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.log = log;
        this.hook = new Thread(this::stop, "gateway-process-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the process (again); its output is appended to the log. */
    public synchronized void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException("the gateway is running");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (environment != null) {
            String path = builder.environment().get("PATH");
            builder.environment().clear();
            if (path != null) {
                builder.environment().put("PATH", path);
            }
            builder.environment().putAll(environment);
        }
        process = builder.start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until GET /q/health/ready answers 200; fails if the process exits or {@code timeout} passes. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the gateway exited with " + process.exitValue() + " during start-up; see " + log);
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

    /** GET with the admin API key. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header(ApiKeyAuthenticationMechanism.HEADER, apiKey)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET with only the header {@code name: value}, no API key. */
    public HttpResponse<String> getWith(String path, String name, String value)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header(name, value)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST of a JSON body with the admin API key. */
    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header(ApiKeyAuthenticationMechanism.HEADER, apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@link #postJson} without waiting: many requests in flight at once (a load generator). Over
     * HTTP/1.1, one connection per request in flight, as a portal behind a load balancer sends
     * them: the client's default upgrades to HTTP/2 and multiplexes every request on one
     * connection, whose single lock the gateway's worker threads then queue for (Vert.x
     * Http2ServerConnection: 230 s blocked in 56 s at 200 POSTs/s, 64 in flight).
     */
    public CompletableFuture<HttpResponse<String>> postJsonAsync(String path, String json) {
        return http.sendAsync(
                HttpRequest.newBuilder(uri(path))
                        .version(HttpClient.Version.HTTP_1_1)
                        .timeout(Duration.ofSeconds(30))
                        .header(ApiKeyAuthenticationMechanism.HEADER, apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200; its body. */
    public String getOk(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public Path log() {
        return log;
    }

    /** Runs {@code jcmd <pid> args...} (JFR control); returns its output. */
    public String jcmd(String... args) throws IOException, InterruptedException {
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

    /** {@code kill -9}: no shutdown hook, no flush, whatever was in flight is cut. */
    public synchronized void kill() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code kill -STOP}: the process freezes as in a long GC pause or a partition, its sockets
     * open and its Kafka session and database connections silent, until {@link #resume}.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** {@code kill -CONT}: a paused process runs on from where it stopped. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("the gateway process is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + p.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** SIGTERM (Quarkus shuts down gracefully), SIGKILL after 15 s; a paused process is resumed first. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            resume(); // a stopped process would hold SIGTERM until it runs again
        } catch (IOException e) {
            // it exited meanwhile: nothing to resume
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
}
