package io.streembit.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the demo prints about its replicas' shards, read from GET /api/cluster. */
class ShardTableTest {
    /** A replica's answer, trimmed to what the demo reads (the gateway's ClusterResource.ClusterView). */
    private static final String VIEW = """
            {"mode": "cluster", "member": "gateway-1", "groupId": "streembit-demo", "shards": 12,
             "owned": [0, 1, 2, 3],
             "members": [{"member": "gateway-1", "shards": [0, 1, 2, 3]},
                         {"member": "gateway-2", "shards": [4, 6, 8, 10]},
                         {"member": "gateway-3", "shards": [5, 7, 9, 11]}],
             "epochs": {"0": 1}, "ready": true, "problem": null, "lastRebalance": null}
            """;

    @Test
    void shardsAreSaidAsRanges() {
        assertThat(ShardMap.ranges(List.of(3, 0, 1, 2, 7, 9, 10))).isEqualTo("0-3,7,9-10");
        assertThat(ShardMap.ranges(List.of(4, 6, 8))).isEqualTo("4,6,8");
        assertThat(ShardMap.ranges(List.of(5))).isEqualTo("5");
        assertThat(ShardMap.ranges(List.of())).isEqualTo("none");
    }

    @Test
    void theClusterViewGivesEachMembersShards() throws Exception {
        ShardMap map = ShardMap.parse(VIEW);
        assertThat(map.shards()).isEqualTo(12);
        assertThat(map.of("gateway-2")).containsExactly(4, 6, 8, 10);
        assertThat(map.of("gateway-9")).isEmpty();
        assertThat(map.spreadOver(List.of("gateway-1", "gateway-2", "gateway-3")))
                .isTrue();
        // a replica that owns nothing yet: the group has not settled
        assertThat(map.spreadOver(List.of("gateway-1", "gateway-2", "gateway-3", "gateway-4")))
                .isFalse();
        // two of three do not cover every shard
        assertThat(map.spreadOver(List.of("gateway-1", "gateway-2"))).isFalse();
        assertThat(map.ownersOf(Set.of(3, 4, 6))).isEqualTo(Map.of("gateway-1", Set.of(3), "gateway-2", Set.of(4, 6)));
    }

    @Test
    void theTableHasOneAlignedLinePerReplicaAndAGoneOneSaysSo() {
        List<String> lines = ReplicaWatch.table(List.of(
                new ReplicaWatch.Row("gateway-1", "http://127.0.0.1:8080", 4242, true, Set.of(0, 1, 2, 3, 4, 8)),
                new ReplicaWatch.Row("gateway-2", "http://127.0.0.1:8081", 987, false, Set.of(6)),
                new ReplicaWatch.Row("gateway-3", "http://127.0.0.1:8082", 4244, true, Set.of(5, 6, 7, 9, 10, 11))));
        assertThat(lines)
                .containsExactly(
                        "  gateway-1  http://127.0.0.1:8080  pid 4242  shards 0-4,8 (6)",
                        "  gateway-2  http://127.0.0.1:8081  pid 987   gone",
                        "  gateway-3  http://127.0.0.1:8082  pid 4244  shards 5-7,9-11 (6)");
    }

    @Test
    void aDeadReplicaAndTheTakeoverOfItsShardsAreOneLineEach() {
        assertThat(ReplicaWatch.goneLine("gateway-2", 987, 137, Set.of(4, 6, 8, 10)))
                .isEqualTo("gateway-2 (pid 987) is gone (exit 137): its shards 4,6,8,10 move to the others"
                        + " once its Kafka session times out (6 s) ...");
        assertThat(ReplicaWatch.goneLine("gateway-4", 988, 137, Set.of()))
                .isEqualTo("gateway-4 (pid 988) is gone (exit 137); it owned no shards.");
        assertThat(ReplicaWatch.takeoverLine(
                        "gateway-2",
                        Map.of("gateway-1", Set.of(4, 8), "gateway-3", Set.of(6, 10)),
                        Duration.ofMillis(7_250)))
                .isEqualTo("gateway-2's shards were taken over in 7.3 s: 4,8 by gateway-1, 6,10 by gateway-3.");
    }
}
