package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.registry.DeviceStatus;
import io.streembit.gateway.store.Fence;
import io.streembit.gateway.store.Fenced;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The {@code commands} and {@code command_events} tables. Every state change writes its event
 * in the same transaction, and moves only forward: a command leaves QUEUED or PUBLISHED once,
 * whichever of result and expiry comes first.
 */
public final class CommandStore {
    /** What the intake asks to store; the queue position and the sealed record are the store's. */
    public record NewCommand(
            String id,
            String deviceId,
            String caller,
            String source,
            String correlationId,
            String action,
            JsonNode input,
            String payloadHash,
            String callbackUrl,
            Instant createdAt,
            Instant expiresAt) {}

    /** The stored command, and whether this call created it (false: the caller's correlation id had it). */
    public record Intake(StoredCommand command, boolean created) {}

    /** A result reported by a device, to close its command with. */
    public record Result(
            String commandId,
            String deviceId,
            CommandStatus status,
            JsonNode output,
            String error,
            long entrySeq,
            String entryHash,
            Instant at) {}

    /** What the intake needs to know of the addressed device. */
    public record Target(String id, DeviceStatus status, String publicKey, String td, JsonNode labels) {
        /** The labels as a map (what {@link io.streembit.gateway.security.Caller#mayAccess} takes). */
        public java.util.Map<String, String> labelMap() {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            if (labels != null) {
                labels.fields()
                        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            }
            return out;
        }
    }

    private static final String COLUMNS = "id, device_id, caller, source, correlation_id, action, input, payload_hash,"
            + " callback_url, status, seq, token, created_at, expires_at, published_at, finished_at, output, error,"
            + " dispatched_at, (SELECT d.public_key FROM devices d WHERE d.id = commands.device_id)";
    private static final String OPEN = "status IN ('QUEUED', 'PUBLISHED')";

    private final DataSource dataSource;
    private final Fence fence;

    /** A single replica: no fence. */
    public CommandStore(DataSource dataSource) {
        this(dataSource, Fence.NONE);
    }

    /** {@code fence}: checked when a command is marked PUBLISHED, which only the device's shard owner may do. */
    public CommandStore(DataSource dataSource, Fence fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    /**
     * Stores a new command at the device's next queue position, sealed by {@code seal} (given that
     * position), with its QUEUED event, in one transaction. The same caller's correlation id
     * returns the command it already named, or is refused when that was a different command.
     */
    public Intake create(NewCommand command, LongFunction<String> seal) throws SQLException, CommandRefused {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Optional<StoredCommand> earlier = byCorrelation(c, command);
                    if (earlier.isPresent()) {
                        c.rollback();
                        return new Intake(sameOrRefuse(earlier.get(), command), false);
                    }
                    long seq = takeSeq(c, command.deviceId());
                    String token = seal.apply(seq);
                    insert(c, command, seq, token);
                    event(
                            c,
                            command.id(),
                            CommandStatus.QUEUED.name(),
                            "from " + command.source() + " by " + command.caller(),
                            command.createdAt());
                    // read back on this connection, inside the transaction: a second connection taken
                    // while this one is held deadlocks the pool once every connection is an intake's
                    StoredCommand stored = find(c, command.id()).orElseThrow();
                    c.commit();
                    return new Intake(stored, true);
                } catch (SQLException e) {
                    c.rollback();
                    // two intakes of one correlation id at once: the loser returns the winner's command
                    if ("23505".equals(e.getSQLState()) && command.correlationId() != null && attempt == 0) {
                        continue;
                    }
                    throw e;
                } catch (CommandRefused | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
    }

    private static StoredCommand sameOrRefuse(StoredCommand earlier, NewCommand command) throws CommandRefused {
        if (earlier.payloadHash().equals(command.payloadHash())) {
            return earlier;
        }
        throw new CommandRefused(
                CommandRefused.Reason.CORRELATION_REUSED,
                "correlationId '" + command.correlationId()
                        + "' already names command " + earlier.id() + " (" + earlier.action() + " to "
                        + earlier.deviceId()
                        + "), a different command");
    }

    private static Optional<StoredCommand> byCorrelation(Connection c, NewCommand command) throws SQLException {
        if (command.correlationId() == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM commands WHERE caller = ? AND correlation_id = ?")) {
            ps.setString(1, command.caller());
            ps.setString(2, command.correlationId());
            return one(ps);
        }
    }

    private static long takeSeq(Connection c, String deviceId) throws SQLException, CommandRefused {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE devices SET command_seq = command_seq + 1 WHERE id = ? AND status = '"
                        + DeviceStatus.ACTIVE.sql() + "' RETURNING command_seq")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // checked by the intake just before; a revocation committed in between
                    throw new CommandRefused(
                            CommandRefused.Reason.DEVICE_REVOKED, "device " + deviceId + " is not active");
                }
                return rs.getLong(1);
            }
        }
    }

    private static void insert(Connection c, NewCommand n, long seq, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO commands (id, device_id, caller, source,"
                + " correlation_id, action, input, payload_hash, callback_url, status, seq, token, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?, ?)")) {
            ps.setString(1, n.id());
            ps.setString(2, n.deviceId());
            ps.setString(3, n.caller());
            ps.setString(4, n.source());
            ps.setString(5, n.correlationId());
            ps.setString(6, n.action());
            ps.setString(7, n.input() == null ? null : Json.text(n.input()));
            ps.setString(8, n.payloadHash());
            ps.setString(9, n.callbackUrl());
            ps.setLong(10, seq);
            ps.setString(11, token);
            ps.setTimestamp(12, Timestamp.from(n.createdAt()));
            ps.setTimestamp(13, Timestamp.from(n.expiresAt()));
            ps.executeUpdate();
        }
    }

    /**
     * Records that the DHT stored the command: QUEUED → PUBLISHED, or only {@code published_at}
     * and the event when the result was faster than the storing nodes' answer (a device can run
     * a command before the last of them acknowledged it). False when it was recorded before.
     */
    public boolean markPublished(String id, Instant at) throws SQLException {
        String when = "published_at IS NULL";
        String set = "published_at = ?, status = CASE WHEN status = 'QUEUED' THEN 'PUBLISHED' ELSE status END";
        if (fence == Fence.NONE) {
            return transition(id, when, set, CommandStatus.PUBLISHED.name(), "stored in the DHT", at, at);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String deviceId = deviceOf(c, id);
                if (deviceId != null && !fence.refused(c, List.of(deviceId)).isEmpty()) {
                    throw new Fenced(deviceId);
                }
                boolean changed =
                        transition(c, id, when, set, CommandStatus.PUBLISHED.name(), "stored in the DHT", at, at);
                c.commit();
                return changed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String deviceOf(Connection c, String commandId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM commands WHERE id = ?")) {
            ps.setString(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Records that the result went out (callback, results topic) or was dead-lettered there. */
    public boolean markDispatched(String id, String detail, Instant at) throws SQLException {
        return transition(
                id,
                "finished_at IS NOT NULL AND dispatched_at IS NULL",
                "dispatched_at = ?",
                CommandEvent.DISPATCHED,
                detail,
                at,
                at);
    }

    /**
     * One statement, the update and its event together: a row lock taken here is held for that
     * statement only. As an UPDATE then an INSERT then a COMMIT it was held for three round trips,
     * and the readings writer, closing the same command with its result in the same moment (a
     * device can answer before the gateway has every storing node's reply), waited for them while
     * every batch of its group commit waited behind it (bin/bench-commands, pg_stat_statements).
     */
    private boolean transition(
            String id, String when, String set, String event, String detail, Instant at, Instant value)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return transition(c, id, when, set, event, detail, at, value);
        }
    }

    private static boolean transition(
            Connection c, String id, String when, String set, String event, String detail, Instant at, Instant value)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH changed AS (UPDATE commands SET " + set
                + " WHERE id = ? AND " + when + " RETURNING id) INSERT INTO command_events (command_id, status,"
                + " detail, at) SELECT id, ?::text, ?::text, ?::timestamptz FROM changed")) {
            ps.setTimestamp(1, Timestamp.from(value));
            ps.setString(2, id);
            ps.setString(3, event);
            if (detail == null) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, detail);
            }
            ps.setTimestamp(5, Timestamp.from(at));
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Closes commands with the devices' results, inside the caller's transaction (the readings
     * writer's, so a result is applied exactly when its feed entry is committed). A result for a
     * command already closed is kept as a LATE-RESULT event; one naming no command of that
     * device changes nothing. Returns the ids closed.
     */
    public List<String> applyResults(Connection c, List<Result> results) throws SQLException {
        List<String> closed = new ArrayList<>();
        if (results.isEmpty()) {
            return closed;
        }
        try (PreparedStatement close =
                c.prepareStatement("UPDATE commands SET status = ?, output = ?::jsonb, error = ?,"
                        + " finished_at = ?, result_seq = ?, result_hash = ? WHERE id = ? AND device_id = ? AND "
                        + OPEN)) {
            for (Result r : results) {
                close.setString(1, r.status().name());
                close.setString(2, r.output() == null ? null : Json.text(r.output()));
                close.setString(3, r.error());
                close.setTimestamp(4, Timestamp.from(r.at()));
                close.setLong(5, r.entrySeq());
                close.setString(6, r.entryHash());
                close.setString(7, r.commandId());
                close.setString(8, r.deviceId());
                if (close.executeUpdate() > 0) {
                    event(c, r.commandId(), r.status().name(), r.error(), r.at());
                    closed.add(r.commandId());
                } else {
                    lateResult(c, r);
                }
            }
        }
        return closed;
    }

    private static void lateResult(Connection c, Result r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO command_events (command_id, status, detail, at)"
                + " SELECT id, ?, ?, ? FROM commands WHERE id = ? AND device_id = ?")) {
            ps.setString(1, CommandEvent.LATE_RESULT);
            ps.setString(2, r.status().name() + (r.error() == null ? "" : ": " + r.error()));
            ps.setTimestamp(3, Timestamp.from(r.at()));
            ps.setString(4, r.commandId());
            ps.setString(5, r.deviceId());
            ps.executeUpdate();
        }
    }

    /** Expires every open command whose timeout passed by {@code now}; returns their ids. */
    public List<String> expireDue(Instant now) throws SQLException {
        List<String> expired = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("WITH due AS (UPDATE commands SET status = 'EXPIRED',"
                        + " finished_at = ?, error = 'no result before ' || to_char(expires_at AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || ' (' || status || ')' WHERE " + OPEN
                        + " AND expires_at <= ? RETURNING id, error)"
                        + " INSERT INTO command_events (command_id, status, detail, at) SELECT id, 'EXPIRED', error, ? FROM due"
                        + " RETURNING command_id")) {
                    Timestamp at = Timestamp.from(now);
                    ps.setTimestamp(1, at);
                    ps.setTimestamp(2, at);
                    ps.setTimestamp(3, at);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            expired.add(rs.getString(1));
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return expired;
    }

    public Optional<Target> target(String deviceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, status, public_key, td::text, labels::text FROM devices WHERE id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Target(
                        rs.getString(1),
                        DeviceStatus.fromSql(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        json(rs.getString(5))));
            }
        }
    }

    public Optional<StoredCommand> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, id);
        }
    }

    private static Optional<StoredCommand> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM commands WHERE id = ?")) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    /** The device's commands, newest first, optionally only those in {@code status}. */
    public List<StoredCommand> list(String deviceId, CommandStatus status, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM commands WHERE device_id = ?"
                        + (status == null ? "" : " AND status = ?") + " ORDER BY created_at DESC, seq DESC LIMIT ?")) {
            int i = 1;
            ps.setString(i++, deviceId);
            if (status != null) {
                ps.setString(i++, status.name());
            }
            ps.setInt(i, limit);
            return all(ps);
        }
    }

    /** The first QUEUED command of each device that has one (what a starting gateway publishes from). */
    public List<StoredCommand> firstQueuedPerDevice() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (device_id) " + COLUMNS
                        + " FROM commands WHERE status = 'QUEUED' ORDER BY device_id, seq")) {
            return all(ps);
        }
    }

    /** The device's next QUEUED commands not expired at {@code now}, in queue order. */
    public List<StoredCommand> queued(String deviceId, Instant now, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM commands WHERE device_id = ?"
                        + " AND status = 'QUEUED' AND expires_at > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, deviceId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setInt(3, limit);
            return all(ps);
        }
    }

    /** Closed commands whose result has not gone out yet, oldest first. */
    public List<StoredCommand> undispatched(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM commands"
                        + " WHERE finished_at IS NOT NULL AND dispatched_at IS NULL ORDER BY finished_at LIMIT ?")) {
            ps.setInt(1, limit);
            return all(ps);
        }
    }

    public List<CommandEvent> events(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, detail, at FROM command_events WHERE command_id = ? ORDER BY id")) {
            ps.setString(1, id);
            List<CommandEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new CommandEvent(
                            rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            return events;
        }
    }

    private static void event(Connection c, String id, String status, String detail, Instant at) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO command_events (command_id, status, detail, at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, status);
            if (detail == null) {
                ps.setNull(3, Types.VARCHAR);
            } else {
                ps.setString(3, detail);
            }
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static Optional<StoredCommand> one(PreparedStatement ps) throws SQLException {
        List<StoredCommand> rows = all(ps);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<StoredCommand> all(PreparedStatement ps) throws SQLException {
        List<StoredCommand> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new StoredCommand(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        json(rs.getString(7)),
                        rs.getString(8),
                        rs.getString(9),
                        CommandStatus.valueOf(rs.getString(10)),
                        rs.getLong(11),
                        rs.getString(12),
                        instant(rs, 13),
                        instant(rs, 14),
                        instant(rs, 15),
                        instant(rs, 16),
                        json(rs.getString(17)),
                        rs.getString(18),
                        instant(rs, 19),
                        rs.getString(20)));
            }
        }
        return rows;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static JsonNode json(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8), "stored JSON");
        } catch (ProtocolException e) {
            throw new SQLException("unreadable JSON in commands: " + e.getMessage(), e);
        }
    }
}
