package io.streembit.gateway;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.streembit.device.DeviceAgent;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.Metrics;
import io.streembit.gateway.testing.Sql;
import io.streembit.gateway.testing.TestDevices;
import io.streembit.protocol.feed.Reading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One gateway in cluster mode, the only member of its group: it owns every shard (each granted
 * once), answers GET /api/cluster, is ready, and a device's readings pass the fence and land.
 */
@QuarkusTest
@TestProfile(ClusterModeTest.OneMember.class)
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class ClusterModeTest {
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    public static final class OneMember implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "streembit.cluster.enabled",
                    "true",
                    "streembit.cluster.shards",
                    "8",
                    "streembit.cluster.group-id",
                    "streembit-test-cluster",
                    "streembit.cluster.topic",
                    "streembit.test-cluster",
                    "streembit.cluster.member-id",
                    "replica-1");
        }
    }

    @Test
    void theOnlyMemberOwnsEveryShardAndItsDevicesReadingsLand() throws Exception {
        await().atMost(ARRIVAL)
                .untilAsserted(() -> Api.reader()
                        .get("/api/cluster")
                        .then()
                        .statusCode(200)
                        .body("ready", equalTo(true))
                        .body("owned.size()", equalTo(8))
                        // recorded once the poll that granted the shards returns
                        .body("lastRebalance.assigned.size()", equalTo(8)));
        JsonPath cluster = Api.reader()
                .get("/api/cluster")
                .then()
                .statusCode(200)
                .body("mode", equalTo("cluster"))
                .body("member", equalTo("replica-1"))
                .body("groupId", equalTo("streembit-test-cluster"))
                .body("shards", equalTo(8))
                .body("members.size()", equalTo(1))
                .body("members[0].member", equalTo("replica-1"))
                .body("members[0].shards.size()", equalTo(8))
                .body("lastRebalance.assigned.size()", equalTo(8))
                .extract()
                .jsonPath();
        assertThat(cluster.getMap("epochs")).hasSize(8);
        cluster.getMap("epochs")
                .values()
                .forEach(epoch -> assertThat(((Number) epoch).longValue()).isPositive());
        given().get("/q/health/ready").then().statusCode(200);

        DeviceAgent device = TestDevices.start("thermostat");
        try {
            TestDevices.register(device);
            List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                readings.add(new Reading("temperature", 1_764_000_000_000L + i, DoubleNode.valueOf(20 + i / 10.0)));
            }
            await(device.publish(readings));
            await(device.flush());
            await().atMost(ARRIVAL)
                    .untilAsserted(
                            () -> assertThat(Sql.readings(device.account())).isEqualTo(25));
        } finally {
            await(device.stop());
        }
        assertThat(Metrics.value("streembit_fenced_writes_total", "")).isZero();
    }
}
