package io.streembit.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real PostgreSQL for the demo, from the binaries zonky publishes on Maven Central: no
 * installation, works as root (zonky runs it through {@code unshare -U} then). Its data lives
 * under the demo's directory; its output goes to {@code postgres.log} there.
 */
final class DemoPostgres implements AutoCloseable {
    /** zonky logs its platform detection and initdb at INFO; a demo shows its own progress. */
    private static final Logger ZONKY_LOG = Logger.getLogger("io.zonky.test");

    static {
        ZONKY_LOG.setLevel(Level.WARNING);
    }

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final EmbeddedPostgres pg;

    private DemoPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static DemoPostgres start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("postgres.log");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new DemoPostgres(pg);
    }

    int port() {
        return pg.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /** The command that opens psql on it. */
    String psql() {
        return "psql 'postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port() + "/postgres'";
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
