package io.streembit.gateway.store;

import io.streembit.gateway.registry.DeviceStatus;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule of every cursor move, against a real PostgreSQL: forward only, active devices only. */
class DeviceCursorsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant SEEN = Instant.parse("2026-12-07T10:00:00Z");

    private static PGSimpleDataSource dataSource;
    private static DeviceCursors cursors;

    @BeforeAll
    static void startPostgres() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
        cursors = new DeviceCursors(dataSource);
    }

    @Test
    void aCursorMovesForwardAndRecordsWhenTheEntryWasSeen() throws Exception {
        String id = registered();
        assertThat(cursors.move(new DeviceCursors.Move(id, 3, "h3", SEEN))).isTrue();
        assertThat(cursor(id)).isEqualTo(3);
        assertThat(hash(id)).isEqualTo("h3");
        assertThat(lastSeen(id)).isEqualTo(SEEN);
    }

    @Test
    void aCursorNeverMovesBackNorStaysInPlace() throws Exception {
        String id = registered();
        cursors.move(new DeviceCursors.Move(id, 5, "h5", SEEN));
        assertThat(cursors.move(new DeviceCursors.Move(id, 4, "h4", SEEN.plusSeconds(1))))
                .isFalse();
        assertThat(cursors.move(new DeviceCursors.Move(id, 5, "other", SEEN.plusSeconds(2))))
                .isFalse();
        assertThat(cursor(id)).isEqualTo(5);
        assertThat(hash(id)).isEqualTo("h5");
        assertThat(lastSeen(id)).isEqualTo(SEEN);
    }

    @Test
    void aRevokedDevicesCursorDoesNotMoveByAnyPath() throws Exception {
        String id = registered();
        revoke(id);
        assertThat(cursors.move(new DeviceCursors.Move(id, 1, "h1", SEEN))).isFalse();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // a step over a quarantined entry (no receipt time) obeys the same rule
            assertThat(cursors.move(c, List.of(new DeviceCursors.Move(id, 1, "h1", null)))
                            .moved())
                    .isEmpty();
            c.commit();
        }
        assertThat(cursor(id)).isZero();
    }

    @Test
    void aStepOverMovesTheCursorButKeepsLastSeen() throws Exception {
        String id = registered();
        cursors.move(new DeviceCursors.Move(id, 1, "h1", SEEN));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(cursors.move(c, List.of(new DeviceCursors.Move(id, 2, "h2", null)))
                            .moved())
                    .containsExactly(id);
            c.commit();
        }
        assertThat(cursor(id)).isEqualTo(2);
        assertThat(lastSeen(id)).isEqualTo(SEEN);
    }

    @Test
    void aGroupMovesOnlyTheDevicesThatMayMoveAndSaysWhich() throws Exception {
        String behind = registered();
        String revoked = registered();
        revoke(revoked);
        String ahead = registered();
        cursors.move(new DeviceCursors.Move(ahead, 9, "h9", SEEN));
        Set<String> moved;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            moved = cursors.move(
                            c,
                            List.of(
                                    new DeviceCursors.Move(behind, 1, "a", SEEN),
                                    new DeviceCursors.Move(revoked, 1, "b", SEEN),
                                    new DeviceCursors.Move(ahead, 2, "c", SEEN)))
                    .moved();
            c.rollback(); // the caller's transaction decides: nothing sticks without its commit
        }
        assertThat(moved).containsExactly(behind);
        assertThat(cursor(behind)).isZero();
    }

    private static String registered() throws Exception {
        Identity device = Identity.generate(RANDOM);
        GatewaySchema.register(dataSource, device, "urn:test:" + device.account());
        return device.account();
    }

    private static void revoke(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE devices SET status = ? WHERE id = ?")) {
            ps.setString(1, DeviceStatus.REVOKED.sql());
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private static long cursor(String id) throws Exception {
        return (Long) column("cursor_seq", id);
    }

    private static String hash(String id) throws Exception {
        return (String) column("cursor_hash", id);
    }

    private static Instant lastSeen(String id) throws Exception {
        Timestamp t = (Timestamp) column("last_seen", id);
        return t == null ? null : t.toInstant();
    }

    private static Object column(String name, String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + name + " FROM devices WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }
}
