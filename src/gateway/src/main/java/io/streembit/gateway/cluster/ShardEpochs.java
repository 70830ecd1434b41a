package io.streembit.gateway.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.store.Fence;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The fence in PostgreSQL ({@code shard_owners}): every grant of a shard to this replica bumps
 * the shard's epoch and the replica remembers the epoch it was granted; every write that relies
 * on single ownership ({@link #refused}) reads the epochs of its shards {@code FOR SHARE} in its
 * own transaction and is refused for shards this replica does not hold at their current epoch.
 *
 * <p>Why that is enough: the share lock makes a grant to another replica (an {@code UPDATE} of
 * the row) wait until the writing transaction ends, so a write that checked first commits before
 * the bump; and under READ COMMITTED a check that comes after the bump committed reads the new
 * epoch (a check that meets a bump in progress waits for it and then reads its result), so a
 * paused or partitioned ex-owner is refused by the database itself, whatever it believes. A
 * fencing token, as in Kleppmann's "How to do distributed locking".
 *
 * <p>Refused writes are counted ({@code streembit_fenced_writes_total}, one per device write), and
 * the first refusal after a shard's epoch moved on tells the replica it lost the shard.
 */
public final class ShardEpochs implements Fence {
    private static final Logger LOG = Logger.getLogger(ShardEpochs.class);

    /** Rendered {@code streembit_fenced_writes_total} by Prometheus. */
    public static final String FENCED_WRITES = "streembit.fenced.writes";

    private static final String CHECK =
            "SELECT shard, epoch FROM shard_owners WHERE shard = ANY(?) ORDER BY shard FOR SHARE";
    private static final String GRANT = "UPDATE shard_owners SET epoch = epoch + 1, owner = ?, granted_at = now()"
            + " WHERE shard = ? RETURNING epoch";

    private final DataSource dataSource;
    private final Shards shards;
    private final String memberId;
    private final Counter fencedWrites;
    private final Map<Integer, Long> held = new ConcurrentHashMap<>();
    private volatile IntConsumer lost = shard -> {};

    private ShardEpochs(DataSource dataSource, Shards shards, String memberId, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.shards = shards;
        this.memberId = memberId;
        this.fencedWrites = Counter.builder(FENCED_WRITES)
                .description("Writes PostgreSQL refused because this replica no longer owned the device's shard")
                .register(registry);
    }

    /**
     * Joins (or creates) the cluster recorded in the database: the one {@code gateway_cluster}
     * row must name {@code groupId} and {@code shards.count()}, else {@link ClusterMismatch}; the
     * shard rows 0..S-1 are created at epoch 0 if missing.
     */
    public static ShardEpochs open(
            DataSource dataSource, String groupId, Shards shards, String memberId, MeterRegistry registry)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // a replica starting at the same moment waits here for this one's row, then reads it
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO gateway_cluster (group_id, shards) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                    ps.setString(1, groupId);
                    ps.setInt(2, shards.count());
                    ps.executeUpdate();
                }
                String recordedGroup;
                int recordedShards;
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT group_id, shards FROM gateway_cluster")) {
                    rs.next();
                    recordedGroup = rs.getString(1);
                    recordedShards = rs.getInt(2);
                }
                if (!recordedGroup.equals(groupId)) {
                    throw new ClusterMismatch("this database belongs to gateway cluster '" + recordedGroup
                            + "', and this replica's streembit.cluster.group-id is '" + groupId
                            + "': two clusters cannot share one database (they would both write every device)."
                            + " Give this replica its own database, or the group id '" + recordedGroup + "'");
                }
                if (recordedShards != shards.count()) {
                    throw new ClusterMismatch("gateway cluster '" + groupId + "' was created with " + recordedShards
                            + " shards, and streembit.cluster.shards is " + shards.count()
                            + ": the shard count cannot change while the cluster lives (every device would change"
                            + " owner at once); set it back to " + recordedShards + " (docs/deploy.md, \"Scaling\")");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO shard_owners (shard)"
                        + " SELECT generate_series(0, ? - 1) ON CONFLICT (shard) DO NOTHING")) {
                    ps.setInt(1, shards.count());
                    ps.executeUpdate();
                }
                try (Statement st = c.createStatement()) {
                    // the owners' look-up of their shards' devices; S is a fixed integer, so it is a literal
                    st.execute("CREATE INDEX IF NOT EXISTS devices_shard_" + shards.count()
                            + " ON devices (streembit_shard(id, " + shards.count() + ")) WHERE status = 'active'");
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new ShardEpochs(dataSource, shards, memberId, registry);
    }

    /** Called with a shard this replica learnt it lost (a write was refused after another grant). */
    public void onLost(IntConsumer lost) {
        this.lost = lost;
    }

    public Shards shards() {
        return shards;
    }

    public String memberId() {
        return memberId;
    }

    /**
     * Grants {@code shard} to this replica: bumps its epoch (waiting for the writes of a previous
     * owner that already checked it) and remembers the new one.
     */
    public long grant(int shard) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(GRANT)) {
            c.setAutoCommit(true);
            ps.setString(1, memberId);
            ps.setInt(2, shard);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "shard " + shard + " has no row in shard_owners (S = " + shards.count() + ")");
                }
                long epoch = rs.getLong(1);
                held.put(shard, epoch);
                return epoch;
            }
        }
    }

    /** Forgets {@code shard}: this replica writes nothing for it from now on. */
    public void release(int shard) {
        held.remove(shard);
    }

    /** True while this replica holds {@code shard}: granted, and not released or refused since. */
    public boolean holds(int shard) {
        return held.containsKey(shard);
    }

    /** The shards this replica holds, with the epoch each was granted at. */
    public Map<Integer, Long> held() {
        return Map.copyOf(held);
    }

    /** One row of {@code shard_owners}: who was last granted the shard, at which epoch. */
    public record ShardOwner(int shard, long epoch, String owner, Instant grantedAt) {}

    /** Every shard's last grant, in shard order. */
    public List<ShardOwner> owners() throws SQLException {
        List<ShardOwner> owners = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT shard, epoch, owner, granted_at FROM shard_owners ORDER BY shard")) {
            while (rs.next()) {
                Timestamp at = rs.getTimestamp(4);
                owners.add(new ShardOwner(
                        rs.getInt(1), rs.getLong(2), rs.getString(3), at == null ? null : at.toInstant()));
            }
        }
        return owners;
    }

    @Override
    public Set<String> refused(Connection c, Collection<String> deviceIds) throws SQLException {
        if (deviceIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Integer> shardOf = new HashMap<>();
        Set<Integer> wanted = new TreeSet<>();
        for (String id : deviceIds) {
            int shard = shards.of(id);
            shardOf.put(id, shard);
            wanted.add(shard);
        }
        Set<Integer> allowed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(CHECK)) {
            ps.setArray(1, c.createArrayOf("integer", wanted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int shard = rs.getInt(1);
                    long epoch = rs.getLong(2);
                    Long mine = held.get(shard);
                    if (mine != null && mine == epoch) {
                        allowed.add(shard);
                    } else if (mine != null && held.remove(shard, mine)) {
                        LOG.warnf(
                                "shard %d was granted to another replica (epoch %d, this one held %d):"
                                        + " its writes are refused from now on",
                                shard, epoch, mine);
                        lost.accept(shard);
                    }
                }
            }
        }
        if (allowed.size() == wanted.size()) {
            return Set.of();
        }
        Set<String> refused = new HashSet<>();
        shardOf.forEach((id, shard) -> {
            if (!allowed.contains(shard)) {
                refused.add(id);
            }
        });
        fencedWrites.increment(refused.size());
        return refused;
    }
}
