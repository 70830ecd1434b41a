package io.streembit.gateway.cluster;

import io.streembit.gateway.store.Fence;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Whether this replica runs alone (every device is its own, nothing is fenced) or in a cluster
 * (a device is its own while it owns the device's shard, and its writes pass the fence).
 */
public final class ClusterMode {
    private final ShardEpochs epochs;
    private volatile IntPredicate owned = shard -> false;

    private ClusterMode(ShardEpochs epochs) {
        this.epochs = epochs;
    }

    /** A single replica: the default. */
    public static ClusterMode single() {
        return new ClusterMode(null);
    }

    /** A member of the cluster whose fence is {@code epochs}; it owns nothing until {@link #ownership} says so. */
    public static ClusterMode member(ShardEpochs epochs) {
        return new ClusterMode(epochs);
    }

    public boolean enabled() {
        return epochs != null;
    }

    public Optional<ShardEpochs> epochs() {
        return Optional.ofNullable(epochs);
    }

    /** The check every write that relies on single ownership runs in its transaction. */
    public Fence fence() {
        return epochs == null ? Fence.NONE : epochs;
    }

    /** Which shards this replica owns now (set once the group membership starts). */
    public void ownership(IntPredicate owned) {
        this.owned = owned;
    }

    /**
     * True when this replica serves {@code deviceId} now: always alone; in a cluster, while the
     * group assigns it the device's shard and it holds the shard's epoch (a refused write drops
     * the epoch at once, before the group may have said anything).
     */
    public boolean serves(String deviceId) {
        if (epochs == null) {
            return true;
        }
        int shard = epochs.shards().of(deviceId);
        return owned.test(shard) && epochs.holds(shard);
    }

    /** The shard of {@code deviceId}; only in a cluster. */
    public int shardOf(String deviceId) {
        if (epochs == null) {
            throw new IllegalStateException("a single replica has no shards");
        }
        return epochs.shards().of(deviceId);
    }
}
