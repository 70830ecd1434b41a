package io.streembit.gateway.api;

import io.smallrye.common.annotation.Blocking;
import io.streembit.gateway.cluster.ShardEpochs;
import io.streembit.gateway.cluster.ShardOwnership;
import io.streembit.gateway.security.Caller;
import io.streembit.gateway.service.ClusterService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Which replica serves which shards: any replica answers, from PostgreSQL's {@code shard_owners}. */
@Path("/api/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ClusterResource {
    /** One member of the cluster and the shards it was last granted. */
    public record Member(String member, Set<Integer> shards) {}

    /** The last change of this replica's shards. */
    public record Rebalance(
            Instant at, long durationMs, Set<Integer> assigned, Set<Integer> revoked, Set<Integer> lost) {}

    /**
     * What {@code GET /api/cluster} answers.
     *
     * @param mode      {@code single} (one replica serves every device) or {@code cluster}
     * @param member    this replica's member id (cluster mode)
     * @param shards    S (cluster mode)
     * @param owned     the shards this replica owns now
     * @param members   every member with the shards it was last granted
     * @param epochs    each shard's epoch (its number of grants)
     * @param ready     in the group with its share taken
     * @param problem   why not ready
     */
    public record ClusterView(
            String mode,
            String member,
            String groupId,
            Integer shards,
            Set<Integer> owned,
            List<Member> members,
            Map<Integer, Long> epochs,
            boolean ready,
            String problem,
            Rebalance lastRebalance) {}

    private final ClusterService cluster;

    ClusterResource(ClusterService cluster) {
        this.cluster = cluster;
    }

    @GET
    @RolesAllowed(Caller.READ)
    @Operation(summary = "Cluster mode, this member, every member's shards, the shards' epochs, and the last rebalance")
    public ClusterView view() throws SQLException {
        if (!cluster.mode().enabled()) {
            return new ClusterView("single", null, null, null, null, List.of(), Map.of(), true, null, null);
        }
        ShardEpochs epochs = cluster.mode().epochs().orElseThrow();
        Map<String, Set<Integer>> byMember = new TreeMap<>();
        Map<Integer, Long> epochOf = new TreeMap<>();
        for (ShardEpochs.ShardOwner row : epochs.owners()) {
            epochOf.put(row.shard(), row.epoch());
            if (row.owner() != null) {
                byMember.computeIfAbsent(row.owner(), m -> new TreeSet<>()).add(row.shard());
            }
        }
        List<Member> members = byMember.entrySet().stream()
                .map(e -> new Member(e.getKey(), e.getValue()))
                .toList();
        ShardOwnership owner = cluster.ownership().orElse(null);
        Rebalance last = owner == null
                ? null
                : owner.lastRebalance()
                        .map(r -> new Rebalance(
                                r.at(),
                                r.took().toMillis(),
                                new TreeSet<>(r.assigned()),
                                new TreeSet<>(r.revoked()),
                                new TreeSet<>(r.lost())))
                        .orElse(null);
        return new ClusterView(
                "cluster",
                epochs.memberId(),
                cluster.groupId(),
                epochs.shards().count(),
                owner == null ? Set.of() : new TreeSet<>(owner.owned()),
                members,
                epochOf,
                owner != null && owner.ready(),
                owner == null ? "not started" : owner.problem(),
                last);
    }
}
