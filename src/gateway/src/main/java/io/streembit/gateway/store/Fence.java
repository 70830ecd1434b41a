package io.streembit.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;

/**
 * Who may write for a device, checked inside the writing transaction. With several replicas
 * ({@code cluster.ShardEpochs}), a replica may write for a device only while it holds the
 * device's shard at the shard's current epoch; the check locks the epochs it read until the
 * transaction ends, so a grant to another replica (which bumps the epoch) waits for a write that
 * checked first, and a write that checks after the grant is refused. A single replica owns
 * everything: {@link #NONE} checks nothing and costs nothing.
 */
public interface Fence {
    /** A single replica: every write is allowed, without touching the database. */
    Fence NONE = (c, deviceIds) -> Set.of();

    /**
     * The devices among {@code deviceIds} this replica may not write for, checked in {@code c}'s
     * transaction (which must not be in auto-commit, or the lock ends with the statement).
     * Implementations count the refusals and learn from them that a shard was lost.
     */
    Set<String> refused(Connection c, Collection<String> deviceIds) throws SQLException;
}
