package io.streembit.gateway.cluster;

/**
 * The database already belongs to another cluster (another group id), or the cluster was created
 * with another shard count: this replica must not start, or two clusters would write the same
 * devices, or devices would change shards under their owners.
 */
public final class ClusterMismatch extends IllegalStateException {
    ClusterMismatch(String message) {
        super(message);
    }
}
