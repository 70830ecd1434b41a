package io.streembit.gateway.cluster;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streembit.device.Things;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.CommitStep;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.Fenced;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.store.WriterClock;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The fence on a real PostgreSQL: the cluster row guards against a second cluster or another
 * shard count; every grant bumps the epoch; a stale owner's writes after the bump are refused
 * (cursor, readings, command publication), counted and reported; a write that locked the epoch
 * before the bump commits, and the bump waits for it; a single replica writes as before.
 */
class ShardEpochsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Shards SHARDS = new Shards(8);

    private PGSimpleDataSource dataSource;
    private MeterRegistry registryA;
    private ShardEpochs a;
    private ShardEpochs b;
    private final List<Integer> lostByA = new CopyOnWriteArrayList<>();

    @BeforeEach
    void freshCluster() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
        registryA = new SimpleMeterRegistry();
        a = ShardEpochs.open(dataSource, "fleet", SHARDS, "replica-a", registryA);
        b = ShardEpochs.open(dataSource, "fleet", SHARDS, "replica-b", new SimpleMeterRegistry());
        a.onLost(lostByA::add);
    }

    @Test
    void theFirstReplicaRecordsTheClusterAndEveryShardAtEpochZero() throws Exception {
        assertThat(query("SELECT group_id || '/' || shards FROM gateway_cluster"))
                .isEqualTo("fleet/8");
        assertThat(
                        query(
                                "SELECT count(*) || '/' || max(epoch) || '/' || min(shard) || '/' || max(shard) FROM shard_owners"))
                .isEqualTo("8/0/0/7");
    }

    @Test
    void aSecondClusterOnTheSameDatabaseIsRefused() {
        assertThatThrownBy(() -> ShardEpochs.open(dataSource, "other-fleet", SHARDS, "x", new SimpleMeterRegistry()))
                .isInstanceOf(ClusterMismatch.class)
                .hasMessageContaining("belongs to gateway cluster 'fleet'")
                .hasMessageContaining("'other-fleet'");
    }

    @Test
    void anotherShardCountIsRefused() {
        assertThatThrownBy(() -> ShardEpochs.open(dataSource, "fleet", new Shards(16), "x", new SimpleMeterRegistry()))
                .isInstanceOf(ClusterMismatch.class)
                .hasMessageContaining("created with 8 shards")
                .hasMessageContaining("streembit.cluster.shards is 16");
    }

    @Test
    void everyGrantBumpsTheEpochAndRecordsTheOwner() throws Exception {
        assertThat(a.grant(3)).isEqualTo(1);
        assertThat(b.grant(3)).isEqualTo(2);
        assertThat(a.grant(3)).isEqualTo(3);
        assertThat(a.held()).containsEntry(3, 3L);
        assertThat(query("SELECT owner || '/' || epoch FROM shard_owners WHERE shard = 3"))
                .isEqualTo("replica-a/3");
    }

    @Test
    void aStaleOwnersWritesAfterTheBumpAreRefusedCountedAndReported() throws Exception {
        Identity lostDevice = device();
        int lostShard = SHARDS.of(lostDevice.account());
        Identity keptDevice = deviceOutside(lostShard);
        int keptShard = SHARDS.of(keptDevice.account());
        a.grant(lostShard);
        a.grant(keptShard);
        b.grant(lostShard); // the group moved the shard to b; a has not heard yet

        DeviceCursors cursors = new DeviceCursors(dataSource, a);
        try (ReadingsWriter writer = new ReadingsWriter(
                dataSource,
                cursors,
                new ReadingsWriter.Settings(16, 1, Duration.ZERO),
                () -> 0,
                commit -> {},
                CommitStep.NONE,
                WriterClock.SYSTEM)) {
            CompletableFuture<Void> refused = writer.write(batch(lostDevice));
            assertThat(refused)
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(Fenced.class);
            writer.write(batch(keptDevice)).get(10, TimeUnit.SECONDS); // the shard a still holds writes on
        }
        assertThat(cursor(lostDevice)).isZero();
        assertThat(readings(lostDevice)).isZero();
        assertThat(cursor(keptDevice)).isEqualTo(1);
        assertThat(readings(keptDevice)).isEqualTo(1);
        assertThat(registryA.counter(ShardEpochs.FENCED_WRITES).count()).isEqualTo(1.0);
        assertThat(lostByA).containsExactly(lostShard);
        assertThat(a.held()).doesNotContainKey(lostShard).containsKey(keptShard);
        ClusterMode mode = ClusterMode.member(a);
        mode.ownership(shard -> true); // the group has not told a yet: the refusal alone stops it serving the shard
        assertThat(mode.serves(lostDevice.account())).isFalse();
        assertThat(mode.serves(keptDevice.account())).isTrue();

        // a single move on its own (routes without the readings sink) is refused the same way
        assertThatThrownBy(() -> cursors.move(new DeviceCursors.Move(lostDevice.account(), 1, "h1", NOW)))
                .isInstanceOf(Fenced.class);
        assertThat(registryA.counter(ShardEpochs.FENCED_WRITES).count()).isEqualTo(2.0);
    }

    @Test
    void aStaleOwnerCannotMarkACommandPublished() throws Exception {
        Identity device = device();
        int shard = SHARDS.of(device.account());
        a.grant(shard);
        String command = queuedCommand(device);
        b.grant(shard);
        CommandStore store = new CommandStore(dataSource, a);
        assertThatThrownBy(() -> store.markPublished(command, NOW)).isInstanceOf(Fenced.class);
        assertThat(query("SELECT status FROM commands WHERE id = '" + command + "'"))
                .isEqualTo("QUEUED");
        assertThat(new CommandStore(dataSource, b).markPublished(command, NOW)).isTrue(); // the new owner may
        assertThat(query("SELECT status FROM commands WHERE id = '" + command + "'"))
                .isEqualTo("PUBLISHED");
    }

    @Test
    void aWriteThatLockedTheEpochBeforeTheBumpCommitsAndTheBumpWaitsForIt() throws Exception {
        Identity device = device();
        int shard = SHARDS.of(device.account());
        a.grant(shard);
        DeviceCursors cursors = new DeviceCursors(dataSource, a);
        CompletableFuture<Long> bump;
        try (Connection stale = dataSource.getConnection()) {
            stale.setAutoCommit(false);
            // a's readings transaction: the fence's check (FOR SHARE) and the move, not committed yet
            DeviceCursors.Moved moved =
                    cursors.move(stale, List.of(new DeviceCursors.Move(device.account(), 1, "h1", NOW)));
            assertThat(moved.moved()).containsExactly(device.account());

            bump = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.grant(shard);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the bump is blocked on a's share lock: PostgreSQL shows it waiting for a lock
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingBumps() == 1);
            assertThat(bump).isNotDone();
            stale.commit();
        }
        assertThat(bump.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(cursor(device)).isEqualTo(1); // a's write went in, before the shard moved
        assertThat(registryA.counter(ShardEpochs.FENCED_WRITES).count()).isZero();

        // and a's next write comes after the bump: refused
        try (Connection late = dataSource.getConnection()) {
            late.setAutoCommit(false);
            DeviceCursors.Moved moved =
                    cursors.move(late, List.of(new DeviceCursors.Move(device.account(), 2, "h2", NOW)));
            late.commit();
            assertThat(moved.moved()).isEmpty();
            assertThat(moved.fenced()).containsExactly(device.account());
        }
        assertThat(cursor(device)).isEqualTo(1);
    }

    @Test
    void aBumpInProgressMakesALaterCheckWaitAndThenRefuse() throws Exception {
        Identity device = device();
        int shard = SHARDS.of(device.account());
        a.grant(shard);
        DeviceCursors cursors = new DeviceCursors(dataSource, a);
        CompletableFuture<DeviceCursors.Moved> write;
        try (Connection bumping = dataSource.getConnection()) {
            bumping.setAutoCommit(false);
            try (PreparedStatement ps = bumping.prepareStatement(
                    "UPDATE shard_owners SET epoch = epoch + 1, owner = 'replica-b' WHERE shard = ?")) {
                ps.setInt(1, shard);
                ps.executeUpdate();
            }
            write = CompletableFuture.supplyAsync(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    DeviceCursors.Moved moved =
                            cursors.move(c, List.of(new DeviceCursors.Move(device.account(), 1, "h1", NOW)));
                    c.commit();
                    return moved;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingChecks() == 1);
            assertThat(write).isNotDone();
            bumping.commit();
        }
        // READ COMMITTED: the check re-reads the row the bump committed, and refuses
        assertThat(write.get(10, TimeUnit.SECONDS).fenced()).containsExactly(device.account());
        assertThat(cursor(device)).isZero();
    }

    @Test
    void aSingleReplicaWritesAsBefore() throws Exception {
        Identity device = device();
        b.grant(SHARDS.of(device.account())); // another replica's grants mean nothing without a fence
        DeviceCursors cursors = new DeviceCursors(dataSource);
        assertThat(cursors.move(new DeviceCursors.Move(device.account(), 1, "h1", NOW)))
                .isTrue();
        String command = queuedCommand(device);
        assertThat(new CommandStore(dataSource).markPublished(command, NOW)).isTrue();
        assertThat(cursor(device)).isEqualTo(1);
    }

    private Identity device() throws Exception {
        Identity device = Identity.generate(RANDOM);
        GatewaySchema.register(dataSource, device, "urn:streembit:device:" + device.account());
        return device;
    }

    private Identity deviceOutside(int shard) throws Exception {
        while (true) {
            Identity device = Identity.generate(RANDOM);
            if (SHARDS.of(device.account()) != shard) {
                GatewaySchema.register(dataSource, device, "urn:streembit:device:" + device.account());
                return device;
            }
        }
    }

    private static VerifiedBatch batch(Identity device) {
        return TestBatches.batch(
                device,
                GATEWAY,
                Things.forDevice("thermostat", device.account()),
                List.of(new Reading("temperature", NOW.toEpochMilli(), DoubleNode.valueOf(21.5))),
                NOW);
    }

    private String queuedCommand(Identity device) throws Exception {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                INSERT INTO commands (id, device_id, caller, source, action, payload_hash, status, seq, token,
                                      created_at, expires_at)
                VALUES (?, ?, 'api-key:test', 'rest', 'reboot', 'x', 'QUEUED', 1, 'token', now(), now() + interval '1 hour')""")) {
            ps.setString(1, id);
            ps.setString(2, device.account());
            ps.executeUpdate();
        }
        return id;
    }

    private long waitingBumps() throws Exception {
        return Long.parseLong(query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE shard_owners%'"));
    }

    private long waitingChecks() throws Exception {
        return Long.parseLong(query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE 'SELECT shard, epoch FROM shard_owners%'"));
    }

    private long cursor(Identity device) throws Exception {
        return Long.parseLong(query("SELECT cursor_seq FROM devices WHERE id = '" + device.account() + "'"));
    }

    private long readings(Identity device) throws Exception {
        return Long.parseLong(query("SELECT count(*) FROM readings WHERE device_id = '" + device.account() + "'"));
    }

    private String query(String sql) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
