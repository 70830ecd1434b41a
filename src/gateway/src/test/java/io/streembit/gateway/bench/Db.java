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

/** The harness's own connection to the gateway's PostgreSQL: counts, the latency queries, the server's pid. */
final class Db implements AutoCloseable {
    /**
     * One command's times from the {@code commands} table, epoch µs, 0 = not set: intake
     * ({@code created_at}, milliseconds), stored in the DHT, result verified ({@code finished_at}),
     * result sent on, and the start of the transaction that committed the result (the
     * {@code stored_at} of its reading).
     */
    record CommandRow(
            String id, String status, long created, long published, long finished, long dispatched, long committed) {}

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
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
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

    /** The rows of the commands {@code ids}. */
    java.util.List<CommandRow> commands(java.util.Collection<String> ids) throws SQLException {
        java.util.List<CommandRow> rows = new java.util.ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.status, " + micros("c.created_at") + ", "
                + micros("c.published_at") + ", " + micros("c.finished_at") + ", " + micros("c.dispatched_at") + ", "
                + "coalesce((SELECT " + micros("r.stored_at") + " FROM readings r WHERE r.device_id = c.device_id"
                + " AND r.seq = c.result_seq AND r.idx = 0), 0) FROM commands c WHERE c.id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new CommandRow(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7)));
                }
            }
        }
        return rows;
    }

    private static String micros(String column) {
        return "coalesce((extract(epoch FROM " + column + ") * 1000000)::bigint, 0)";
    }

    /** One statement's share of PostgreSQL's time, from pg_stat_statements. */
    record StatementCost(long calls, double totalMillis, long rows, String query) {}

    /** Restarts the server with pg_stat_statements loaded and creates the extension (before the gateway connects). */
    static void loadStatementStatistics(EmbeddedPostgres pg) throws SQLException {
        try (Db db = new Db(pg)) {
            db.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        }
        pg.stop();
        pg.start();
        try (Db db = new Db(pg)) {
            db.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    void resetStatements() throws SQLException {
        execute("SELECT pg_stat_statements_reset()");
    }

    /** The {@code limit} statements that took most execution time since the last reset, this harness's own left out. */
    java.util.List<StatementCost> statements(int limit) throws SQLException {
        java.util.List<StatementCost> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT calls, total_exec_time, rows, regexp_replace(query, "
                + "'\\s+', ' ', 'g') FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' AND query NOT LIKE "
                + "'%sum(cursor_seq)%' ORDER BY total_exec_time DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StatementCost(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Transactions PostgreSQL finished in this database so far (its statistics lag by up to half a second). */
    long transactions() throws SQLException {
        return queryLong("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
    }

    /** Commands by status, all of them ("SUCCEEDED" -> 4000). */
    Map<String, Long> commandStatuses() throws SQLException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status, count(*) FROM commands GROUP BY status")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Up to {@code limit} devices of {@code among} (ids) whose cursor is below {@code seq}. */
    java.util.List<String> laggingDevices(java.util.Collection<String> among, long seq, int limit) throws SQLException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM devices WHERE cursor_seq < ? AND id = ANY (?) " + "ORDER BY cursor_seq LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setArray(2, c.createArrayOf("text", among.toArray()));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** "cursor_seq: devices" lines over the devices {@code among} (ids), for a stalled run. */
    String cursorHistogram(java.util.Collection<String> among) throws SQLException {
        StringBuilder b = new StringBuilder("cursor_seq (rounded down to 10): devices\n");
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cursor_seq / 10 * 10, count(*) FROM devices " + "WHERE id = ANY (?) GROUP BY 1 ORDER BY 1")) {
            ps.setArray(1, c.createArrayOf("text", among.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.append(rs.getLong(1)).append(": ").append(rs.getLong(2)).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Server version and the settings that decide what a commit costs. */
    String settings() throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, setting FROM pg_settings "
                        + "WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'full_page_writes', 'shared_buffers', 'wal_level', 'max_wal_size') "
                        + "ORDER BY name")) {
            while (rs.next()) {
                b.append(b.length() == 0 ? "" : ", ")
                        .append(rs.getString(1))
                        .append('=')
                        .append(rs.getString(2));
            }
        }
        return b.toString();
    }

    /** The server's data directory. */
    java.nio.file.Path dataDirectory() throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            return java.nio.file.Path.of(rs.getString(1));
        }
    }

    /** The postmaster's pid (first line of postmaster.pid in the data directory). */
    long postmasterPid() throws Exception {
        String first = java.nio.file.Files.readAllLines(dataDirectory().resolve("postmaster.pid"))
                .get(0);
        return Long.parseLong(first.trim());
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
