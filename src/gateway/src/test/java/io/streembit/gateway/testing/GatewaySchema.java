package io.streembit.gateway.testing;

import io.streembit.protocol.identity.Identity;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The gateway's tables in a bare PostgreSQL, for tests of its JDBC classes without booting Quarkus:
 * the same Flyway migrations the gateway runs at start, applied in order, and the device rows
 * those classes work on.
 */
public final class GatewaySchema {
    private static final List<String> MIGRATIONS = List.of("V1__gateway.sql", "V2__commands.sql", "V3__cluster.sql");

    private static EmbeddedPostgres shared;
    private static int databases;

    private GatewaySchema() {}

    /**
     * A new database with the gateway's tables, on a PostgreSQL that this JVM's tests share:
     * started at the first call, stopped when the JVM exits. A test class gets a database of its
     * own (no rows of another class's tests), for a CREATE DATABASE instead of a server start.
     */
    public static synchronized PGSimpleDataSource freshDatabase() throws SQLException {
        if (shared == null) {
            EmbeddedPostgres pg = EmbeddedPostgres.startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "shared-postgres-stop"));
            shared = pg;
        }
        String name = "test_" + ++databases;
        try (Connection c = dataSource(shared.jdbcUrl()).getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return migrate(dataSource(shared.jdbcUrl().replaceFirst("/postgres$", "/" + name)));
    }

    /** Applies the migrations to {@code pg} and returns a data source on it. */
    public static PGSimpleDataSource create(EmbeddedPostgres pg) throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(pg.jdbcUrl());
        dataSource.setUser(pg.user());
        dataSource.setPassword(pg.password());
        return migrate(dataSource);
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(shared.user());
        dataSource.setPassword(shared.password());
        return dataSource;
    }

    private static PGSimpleDataSource migrate(PGSimpleDataSource dataSource) throws SQLException {
        for (String migration : MIGRATIONS) {
            try (InputStream in = GatewaySchema.class.getResourceAsStream("/db/migration/" + migration);
                    Connection c = dataSource.getConnection();
                    Statement st = c.createStatement()) {
                if (in == null) {
                    throw new IllegalStateException(
                            "the gateway's migration " + migration + " is not on the classpath");
                }
                st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataSource;
    }

    /**
     * Adds {@code device} as an active device with its cursor at 0: the row the readings writer
     * moves, with placeholders where only the REST registration puts real content (TD, offer).
     */
    public static void register(DataSource dataSource, Identity device, String tdId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                INSERT INTO devices (id, public_key, td, td_id, td_source, offer, status, registered_at)
                VALUES (?, ?, '{}'::jsonb, ?, 'offer', 'offer', 'active', now())""")) {
            ps.setString(1, device.account());
            ps.setString(2, device.publicKey().hex());
            ps.setString(3, tdId);
            ps.executeUpdate();
        }
    }

    /** How many readings of {@code deviceId} are stored. */
    public static long readings(DataSource dataSource, String deviceId) throws SQLException {
        return number(dataSource, "SELECT count(*) FROM readings WHERE device_id = ?", deviceId);
    }

    /** The committed cursor of {@code deviceId}. */
    public static long cursor(DataSource dataSource, String deviceId) throws SQLException {
        return number(dataSource, "SELECT cursor_seq FROM devices WHERE id = ?", deviceId);
    }

    private static long number(DataSource dataSource, String sql, String deviceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
