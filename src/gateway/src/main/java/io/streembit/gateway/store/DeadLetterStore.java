package io.streembit.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code dead_letters} table: messages a sink gave up on after its retries, kept with the
 * error until an operator re-drives them. A failed re-drive updates its own row (more attempts,
 * the new error) rather than adding a second one.
 */
public final class DeadLetterStore {
    /** One dead letter. {@code headers} are the message's string headers as they were sent. */
    public record DeadLetter(
            long id,
            String sink,
            String deviceId,
            Long seq,
            String body,
            Map<String, String> headers,
            String error,
            int attempts,
            Instant createdAt,
            Instant lastAttemptAt,
            Instant redrivenAt) {}

    private static final String COLUMNS =
            "id, sink, device_id, seq, body, headers, error, attempts, created_at, last_attempt_at, redriven_at";

    private final DataSource dataSource;

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps a message {@code sink} gave up on after {@code attempts} tries; returns its id. */
    public long add(
            String sink,
            String deviceId,
            Long seq,
            String body,
            Map<String, String> headers,
            String error,
            int attempts,
            Instant at)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO dead_letters (sink, device_id, seq, body, headers, error, attempts, created_at,"
                                + " last_attempt_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, sink);
            ps.setString(2, deviceId);
            if (seq == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, seq);
            }
            ps.setString(4, body);
            ps.setString(5, toJson(headers));
            ps.setString(6, error);
            ps.setInt(7, attempts);
            ps.setTimestamp(8, Timestamp.from(at));
            ps.setTimestamp(9, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A re-drive of {@code id} failed again after {@code attempts} more tries. */
    public void failedAgain(long id, String error, int attempts, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE dead_letters SET error = ?, attempts = attempts + ?, last_attempt_at = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setInt(2, attempts);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** A re-drive of {@code id} went through. */
    public void redriven(long id, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE dead_letters SET redriven_at = ?, last_attempt_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    public Optional<DeadLetter> get(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?")) {
            ps.setLong(1, id);
            List<DeadLetter> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Dead letters of {@code sink} (all sinks when null), oldest first; only the open ones unless {@code all}. */
    public List<DeadLetter> list(String sink, boolean all, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM dead_letters WHERE (? IS NULL OR sink = ?)"
                + (all ? "" : " AND redriven_at IS NULL") + " ORDER BY id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sink);
            ps.setString(2, sink);
            ps.setInt(3, limit);
            return read(ps);
        }
    }

    private static List<DeadLetter> read(PreparedStatement ps) throws SQLException {
        List<DeadLetter> letters = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(4);
                Long seqOrNull = rs.wasNull() ? null : seq;
                Timestamp redriven = rs.getTimestamp(11);
                letters.add(new DeadLetter(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        seqOrNull,
                        rs.getString(5),
                        fromJson(rs.getString(6)),
                        rs.getString(7),
                        rs.getInt(8),
                        rs.getTimestamp(9).toInstant(),
                        rs.getTimestamp(10).toInstant(),
                        redriven == null ? null : redriven.toInstant()));
            }
        }
        return letters;
    }

    private static String toJson(Map<String, String> headers) {
        ObjectNode json = Json.object();
        headers.forEach(json::put);
        return Json.text(json);
    }

    private static Map<String, String> fromJson(String text) throws SQLException {
        try {
            JsonNode json = Json.parse(text.getBytes(StandardCharsets.UTF_8), "dead letter headers");
            Map<String, String> headers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                headers.put(e.getKey(), e.getValue().asText());
            }
            return headers;
        } catch (ProtocolException e) {
            throw new SQLException("dead letter headers are not JSON", e);
        }
    }
}
