package io.streembit.gateway.store;

import io.streembit.gateway.registry.DeviceStatus;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one owner of each device's cursor ({@code devices.cursor_seq}, {@code cursor_hash}) and of
 * {@code last_seen}: every statement that moves them is here, and they all share one rule of
 * when a cursor may move ({@link #MOVABLE}). A cursor only ever moves forward, and only on an
 * active device, so a revocation takes effect at its commit and a replay moves nothing.
 *
 * <p>A move runs either inside the caller's transaction (the readings group commit, the
 * quarantine of an entry), so the cursor commits with what it covers, or on its own when nothing
 * else is written (routes without the readings sink). With several replicas every move also
 * passes the shard owner's {@link Fence}, in the same transaction and before the move: a device
 * whose shard this replica no longer holds is not moved, and is reported as fenced, so whatever
 * rides on the move (its readings, its command results, a quarantined entry's problem row) is
 * not written either.
 */
public final class DeviceCursors {
    /** When a device's cursor may move to {@code x.s}: forward only, and only while the device is served. */
    static final String MOVABLE = "d.cursor_seq < x.s AND d.status = '" + DeviceStatus.ACTIVE.sql() + "'";

    // to_timestamp takes float8; a null receipt time (a step over a quarantined entry) keeps last_seen
    static final String MOVE = "UPDATE devices d SET cursor_seq = x.s, cursor_hash = x.h,"
            + " last_seen = COALESCE(to_timestamp(x.r::float8 / 1000), d.last_seen)"
            + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[]) AS x(id, s, h, r)"
            + " WHERE d.id = x.id AND " + MOVABLE + " RETURNING d.id";

    /**
     * Moves device {@code deviceId}'s cursor to entry {@code seq}, whose chain hash is {@code hash}.
     *
     * @param seenAt when the entry was received ({@code last_seen}); null leaves {@code last_seen} as it is
     */
    public record Move(String deviceId, long seq, String hash, Instant seenAt) {}

    /**
     * What a group of moves did: the devices whose cursor {@code moved}, and those {@code fenced}
     * (not moved: this replica no longer owns their shard). The others were revoked, or already there.
     */
    public record Moved(Set<String> moved, Set<String> fenced) {}

    private final DataSource dataSource;
    private final Fence fence;

    /** A single replica: no fence. */
    public DeviceCursors(DataSource dataSource) {
        this(dataSource, Fence.NONE);
    }

    public DeviceCursors(DataSource dataSource, Fence fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    /** Moves the cursors in the caller's transaction, at most one move per device. */
    public Moved move(Connection c, Collection<Move> moves) throws SQLException {
        Set<String> fenced = fence.refused(c, moves.stream().map(Move::deviceId).toList());
        if (!fenced.isEmpty()) {
            moves = moves.stream().filter(m -> !fenced.contains(m.deviceId())).toList();
        }
        return new Moved(moveAllowed(c, moves), fenced);
    }

    private Set<String> moveAllowed(Connection c, Collection<Move> moves) throws SQLException {
        if (moves.isEmpty()) {
            return Set.of();
        }
        int n = moves.size();
        String[] ids = new String[n];
        Long[] seqs = new Long[n];
        String[] hashes = new String[n];
        Long[] seen = new Long[n];
        int i = 0;
        for (Move m : moves) {
            ids[i] = m.deviceId();
            seqs[i] = m.seq();
            hashes[i] = m.hash();
            seen[i] = m.seenAt() == null ? null : m.seenAt().toEpochMilli();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(MOVE)) {
            ps.setArray(1, array(c, "text", ids));
            ps.setArray(2, array(c, "bigint", seqs));
            ps.setArray(3, array(c, "text", hashes));
            ps.setArray(4, array(c, "bigint", seen));
            Set<String> moved = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getString(1));
                }
            }
            return moved;
        }
    }

    /**
     * Moves one cursor in a transaction of its own; true when it moved.
     *
     * @throws Fenced when this replica no longer owns the device's shard (nothing moved)
     */
    public boolean move(Move move) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (fence == Fence.NONE) { // nothing to lock: one statement, as a single replica always did
                c.setAutoCommit(true);
                return !moveAllowed(c, List.of(move)).isEmpty();
            }
            c.setAutoCommit(false);
            try {
                Moved moved = move(c, List.of(move));
                c.commit();
                if (!moved.fenced().isEmpty()) {
                    throw new Fenced(move.deviceId());
                }
                return !moved.moved().isEmpty();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }
}
