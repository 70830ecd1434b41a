package io.streembit.gateway.bench;

import io.streembit.gateway.testing.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The harness's own connection to the gateway's PostgreSQL: counts, the latency query, the server's pid. */
final class Db implements AutoCloseable {
    /** Commit time (stored_at, epoch µs) of each entry's first reading, keyed by device id and seq. */
    record Commits(Map<String, Map<Long, Long>> byDevice, long count) {
        Long micros(String device, long seq) {
            Map<Long, Long> m = byDevice.get(device);
            return m == null ? null : m.get(seq);
        }
    }

    private final Connection c;

    Db(EmbeddedPostgres pg) throws SQLException {
        c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        c.setAutoCommit(true);
    }

    long queryLong(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Batches committed: the sum of the devices' cursors. The readings sink moves a device's cursor
     * in the transaction that writes the batch's readings, so this is exact and costs a scan of
     * the small devices table rather than of readings.
     */
    long committedBatches() throws SQLException {
        return queryLong("SELECT coalesce(sum(cursor_seq), 0) FROM devices");
    }

    Commits commitsAfter(long seq) throws SQLException {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        long count = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, seq, "
                + "(extract(epoch FROM min(stored_at)) * 1000000)::bigint FROM readings "
                + "WHERE idx = 0 AND seq > ? GROUP BY device_id, seq")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getLong(3));
                    count++;
                }
            }
        }
        return new Commits(out, count);
    }

    /** Up to {@code limit} devices whose cursor is below {@code seq}. */
    java.util.List<String> laggingDevices(long seq, int limit) throws SQLException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM devices WHERE cursor_seq < ? ORDER BY cursor_seq "
                + "LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** "cursor_seq: devices" lines, for a stalled run. */
    String cursorHistogram() throws SQLException {
        StringBuilder b = new StringBuilder("cursor_seq (rounded down to 10): devices\n");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT cursor_seq / 10 * 10, count(*) "
                + "FROM devices GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                b.append(rs.getLong(1)).append(": ").append(rs.getLong(2)).append('\n');
            }
        }
        return b.toString();
    }

    /** Server version and the settings that decide what a commit costs. */
    String settings() throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, setting FROM pg_settings "
                + "WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'shared_buffers', 'wal_level') "
                + "ORDER BY name")) {
            while (rs.next()) {
                b.append(b.length() == 0 ? "" : ", ").append(rs.getString(1)).append('=').append(rs.getString(2));
            }
        }
        return b.toString();
    }

    /** The server's data directory. */
    java.nio.file.Path dataDirectory() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            return java.nio.file.Path.of(rs.getString(1));
        }
    }

    /** The postmaster's pid (first line of postmaster.pid in the data directory). */
    long postmasterPid() throws Exception {
        String first = java.nio.file.Files.readAllLines(dataDirectory().resolve("postmaster.pid")).get(0);
        return Long.parseLong(first.trim());
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
