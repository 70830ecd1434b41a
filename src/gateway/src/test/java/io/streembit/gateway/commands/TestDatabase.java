package io.streembit.gateway.commands;

import io.streembit.device.Things;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * PostgreSQL for the commands' unit tests: a database of their own with the gateway's tables on
 * the test JVM's shared server ({@link GatewaySchema#freshDatabase()}), and devices registered as
 * the REST API leaves them (a real Thing Description, labels, revoked or not).
 */
final class TestDatabase {
    static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabase() {}

    /** A new database with the gateway's tables. */
    static DataSource create() throws SQLException {
        return GatewaySchema.freshDatabase();
    }

    /** Removes every command and its events (devices stay). */
    static void empty(DataSource dataSource) throws SQLException {
        execute(dataSource, "TRUNCATE command_events, commands");
    }

    /** Registers a new active device of {@code kind} (its TD from the device SDK) with {@code labels}. */
    static Identity device(DataSource dataSource, String kind, Map<String, String> labels) throws SQLException {
        Identity device = Identity.generate(RANDOM);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                INSERT INTO devices (id, public_key, labels, td, td_id, td_source, offer, status, registered_at)
                VALUES (?, ?, ?::jsonb, ?::jsonb, ?, 'offer', 'offer', 'active', now())""")) {
            ps.setString(1, device.account());
            ps.setString(2, device.publicKey().hex());
            ps.setString(3, Json.text(Json.MAPPER.valueToTree(labels)));
            ps.setString(4, Json.text(Things.forDevice(kind, device.account()).json()));
            ps.setString(5, "urn:streembit:device:" + device.account());
            ps.executeUpdate();
        }
        return device;
    }

    static Identity device(DataSource dataSource) throws SQLException {
        return device(dataSource, "thermostat", Map.of());
    }

    static void revoke(DataSource dataSource, String deviceId) throws SQLException {
        execute(dataSource, "UPDATE devices SET status = 'revoked', revoked_at = now() WHERE id = '" + deviceId + "'");
    }

    static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The device's result closes {@code command} as SUCCEEDED at {@code at}, as a committed feed entry would. */
    static void succeed(DataSource dataSource, CommandStore store, StoredCommand command, java.time.Instant at)
            throws SQLException {
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            store.applyResults(
                    c,
                    java.util.List.of(new CommandStore.Result(
                            command.id(),
                            command.deviceId(),
                            CommandStatus.SUCCEEDED,
                            com.fasterxml.jackson.databind.node.DoubleNode.valueOf(21.5),
                            null,
                            command.seq(),
                            "hash",
                            at)));
            c.commit();
        }
    }
}
