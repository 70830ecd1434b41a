package io.streembit.gateway.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ingest_problems} table and the device columns it feeds (error count, last error). A
 * quarantined entry is recorded and stepped over (its cursor moved by {@link DeviceCursors}) in
 * one transaction, so it is either both recorded and passed, or neither.
 */
public final class ProblemStore {
    /** One row of {@code ingest_problems}. */
    public record Problem(
            long id, String deviceId, Long seq, String reason, String detail, String action, Instant createdAt) {}

    private static final String INSERT = """
            INSERT INTO ingest_problems (device_id, seq, reason, detail, action, token, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String NOTE_ON_DEVICE = """
            UPDATE devices SET error_count = error_count + 1, last_error = ?, last_error_at = ? WHERE id = ?""";
    private final DataSource dataSource;
    private final DeviceCursors cursors;

    public ProblemStore(DataSource dataSource, DeviceCursors cursors) {
        this.dataSource = dataSource;
        this.cursors = cursors;
    }

    /**
     * Records entry {@code seq} as quarantined (with its token) and moves the cursor past it.
     *
     * @throws Fenced when this replica no longer owns the device's shard (nothing is written)
     */
    public void quarantine(
            String deviceId, long seq, String reason, String detail, String token, String nextHash, Instant at)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // the move first: it takes the fence's lock before the device's row, as the readings writer does
                DeviceCursors.Moved moved =
                        cursors.move(c, List.of(new DeviceCursors.Move(deviceId, seq, nextHash, null)));
                if (!moved.fenced().isEmpty()) {
                    throw new Fenced(deviceId);
                }
                insert(c, deviceId, seq, reason, detail, "quarantined", token, at);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records a problem that moves nothing (a gap the feed waits at, a refused registration...). */
    public void record(String deviceId, Long seq, String reason, String detail, String action, Instant at)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            insert(c, deviceId, seq, reason, detail, action, null, at);
        }
    }

    /** The newest problems of {@code deviceId}, newest first. */
    public List<Problem> list(String deviceId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, device_id, seq, reason, detail, action, created_at FROM ingest_problems"
                                + " WHERE device_id = ? ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, deviceId);
            ps.setInt(2, limit);
            List<Problem> problems = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(3);
                    problems.add(new Problem(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.wasNull() ? null : seq,
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getTimestamp(7).toInstant()));
                }
            }
            return problems;
        }
    }

    private static void insert(
            Connection c,
            String deviceId,
            Long seq,
            String reason,
            String detail,
            String action,
            String token,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, deviceId);
            if (seq == null) {
                ps.setNull(2, Types.BIGINT);
            } else {
                ps.setLong(2, seq);
            }
            ps.setString(3, reason);
            ps.setString(4, detail);
            ps.setString(5, action);
            ps.setString(6, token);
            ps.setTimestamp(7, Timestamp.from(at));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(NOTE_ON_DEVICE)) {
            ps.setString(1, reason + ": " + detail);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, deviceId);
            ps.executeUpdate();
        }
    }
}
