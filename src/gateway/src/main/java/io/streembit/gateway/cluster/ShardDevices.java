package io.streembit.gateway.cluster;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The active devices of some shards, for their owner to follow: {@code streembit_shard(id, S)}
 * over the partial expression index {@code ShardEpochs.open} creates. S is a fixed integer of the
 * cluster, written into the statement as a literal so that the planner matches the index.
 */
public final class ShardDevices {
    private final DataSource dataSource;
    private final String select;

    public ShardDevices(DataSource dataSource, Shards shards) {
        this.dataSource = dataSource;
        this.select = "SELECT id FROM devices WHERE status = 'active' AND streembit_shard(id, " + shards.count()
                + ") = ANY(?)";
    }

    /** The ids of the active devices whose shard is one of {@code shards}. */
    public Set<String> active(Collection<Integer> shards) throws SQLException {
        Set<String> ids = new HashSet<>();
        if (shards.isEmpty()) {
            return ids;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(select)) {
            ps.setArray(1, c.createArrayOf("integer", shards.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
