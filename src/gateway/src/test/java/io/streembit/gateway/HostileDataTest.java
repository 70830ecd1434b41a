package io.streembit.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streembit.dht.DhtNode;
import io.streembit.dht.RawPeer;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.CraftedFeed;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.Metrics;
import io.streembit.gateway.testing.Sql;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * What a broken or hostile device (or someone else entirely) can send, and what the gateway
 * does with it: never a row, always a specific reason in a metric, the device's status and the
 * problems table; a quarantined entry is stepped over and the rest of the feed goes on.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class HostileDataTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TS = 1_764_000_000_000L;

    @Inject
    GatewayNode gateway;

    private DhtNode via() {
        return GatewayTestEnvironment.network().nodes.get(1);
    }

    private PublicKey gatewayKey() {
        return gateway.identity().publicKey();
    }

    /** A device whose feed the gateway's own node stores, so it sees every entry of it. */
    private Identity heldByGateway() {
        List<NodeId> others = new ArrayList<>();
        GatewayTestEnvironment.network().nodes.forEach(n -> others.add(n.id()));
        return CraftedFeed.closestTo(gateway.node().id(), others);
    }

    private static double dhtRejected(String reason) {
        return Metrics.value("streembit_dht_rejected_total", "reason=\"" + reason + "\"");
    }

    private static double rejected(String reason) {
        return Metrics.value("streembit_ingest_rejected_total", "reason=\"" + reason + "\"");
    }

    @Test
    void anUnregisteredDevicesFeedIsNeverOpenedOnlyCounted() throws Exception {
        CraftedFeed feed = new CraftedFeed(heldByGateway(), gatewayKey());
        double before = rejected("unregistered");
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS, 21.0)));
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS + 1, 21.5)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(rejected("unregistered")).isEqualTo(before + 2));
        assertThat(Sql.readings(feed.id())).isZero();
        Api.admin().get("/api/devices/" + feed.id()).then().statusCode(404).body("error", equalTo("unknown-device"));
    }

    @Test
    void aRevokedDevicesDataIsRefusedFromThenOn() throws Exception {
        CraftedFeed feed = new CraftedFeed(heldByGateway(), gatewayKey());
        feed.register();
        CraftedFeed marker = new CraftedFeed(heldByGateway(), gatewayKey());
        marker.register();
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS, 20.0, 20.5)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(feed.id())).isEqualTo(2));

        Api.admin().delete("/api/devices/" + feed.id()).then().statusCode(204);
        double before = rejected("revoked");
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS + 1, 22.0)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(rejected("revoked")).isEqualTo(before + 1));
        // an active device's entry, written after it, goes all the way: a follower of the revoked
        // device that was still running would have written its entry by then
        marker.publish(via(), marker.next(CraftedFeed.temperatures(TS + 2, 23.0)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(marker.id())).isEqualTo(1));
        assertThat(Sql.readings(feed.id())).isEqualTo(2);
        Api.admin()
                .get("/api/devices/" + feed.id())
                .then()
                .statusCode(200)
                .body("status", equalTo("revoked"))
                .body("cursor", equalTo(1));
        Api.admin().delete("/api/devices/unknown").then().statusCode(404);
    }

    @Test
    void aForgedSignatureIsDroppedAtTheDhtLayerAndCounted() throws Exception {
        CraftedFeed feed = new CraftedFeed(heldByGateway(), gatewayKey());
        feed.register();
        String genuine = feed.next(CraftedFeed.temperatures(TS, 19.0));
        // same header and payload, signature of another key: what a forger can produce
        String[] parts = genuine.split("\\.");
        String otherSignature = new CraftedFeed(Identity.generate(DhtTestNetwork.RANDOM), gatewayKey())
                .next(CraftedFeed.temperatures(TS, 19.0))
                .split("\\.")[2];
        String forged = parts[0] + "." + parts[1] + "." + otherSignature;
        double storesBefore = dhtRejected("store-bad-signature");
        double notifiesBefore = dhtRejected("notify-bad-signature");
        try (RawPeer peer = RawPeer.open(
                GatewayTestEnvironment.network().vertx,
                gateway.node().port(),
                Identity.generate(DhtTestNetwork.RANDOM))) {
            ObjectNode store = Json.object();
            store.put("key", FeedEntries.key(feed.identity.publicKey()).hex());
            store.put("record", forged);
            Envelope.Response answer = peer.call(Op.STORE, store);
            assertThat(answer).isInstanceOf(Envelope.Response.class);
            assertThat(answer.toString()).contains("bad-signature");
            // pushed as a notification instead: dropped the same way
            assertThat(peer.call(Op.NOTIFY, store).toString()).contains("bad-signature");
        }
        assertThat(dhtRejected("store-bad-signature")).isEqualTo(storesBefore + 1);
        assertThat(dhtRejected("notify-bad-signature")).isEqualTo(notifiesBefore + 1);
        // the genuine entry still goes through: the forgery did not poison the feed
        feed.publish(via(), genuine);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(feed.id())).isEqualTo(1));
        // and entry 1 is the genuine one: a forgery written at any time before it would hold the
        // cursor (same seq, same readings, another token), leaving the genuine entry stale
        assertThat(Sql.rows("SELECT cursor_seq, cursor_hash FROM devices WHERE id = '" + feed.id() + "'"))
                .containsExactly(Map.of("cursor_seq", 1L, "cursor_hash", FeedChain.hashOf(genuine)));
    }

    @Test
    void aBatchEncryptedForAnotherKeyIsQuarantinedAndTheFeedGoesOn() throws Exception {
        CraftedFeed feed = new CraftedFeed(Identity.generate(DhtTestNetwork.RANDOM), gatewayKey());
        feed.register();
        double before = rejected("decrypt-failed");
        feed.publish(
                via(),
                feed.nextFor(Identity.generate(DhtTestNetwork.RANDOM).publicKey(), CraftedFeed.temperatures(TS, 30.0)));
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS + 1, 31.0)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(feed.id())).isEqualTo(1));
        assertThat(Sql.count("SELECT count(*) FROM readings WHERE device_id = '" + feed.id() + "' AND seq = 1"))
                .isZero();
        assertQuarantined(feed, 1, "decrypt-failed");
        assertThat(rejected("decrypt-failed")).isEqualTo(before + 1);
    }

    @Test
    void aBrokenChainIsQuarantinedAndTheFeedGoesOn() throws Exception {
        CraftedFeed feed = new CraftedFeed(Identity.generate(DhtTestNetwork.RANDOM), gatewayKey());
        feed.register();
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS, 18.0)));
        feed.publish(via(), feed.nextUnlinked(CraftedFeed.temperatures(TS + 1, 18.5)));
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS + 2, 19.0)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(feed.id())).isEqualTo(2));
        assertThat(Sql.count("SELECT count(*) FROM readings WHERE device_id = '" + feed.id() + "' AND seq = 2"))
                .isZero();
        assertQuarantined(feed, 2, "fork");
    }

    @Test
    void readingsOutsideTheTdRefuseTheWholeBatchAndTheFeedGoesOn() throws Exception {
        CraftedFeed feed = new CraftedFeed(Identity.generate(DhtTestNetwork.RANDOM), gatewayKey());
        feed.register();
        // 21.0 is fine, 500 is above the TD's maximum of 85: nothing of the batch is written
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS, 21.0, 500.0)));
        feed.publish(via(), feed.next(CraftedFeed.temperatures(TS + 1, 22.0)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Sql.readings(feed.id())).isEqualTo(1));
        assertQuarantined(feed, 1, "schema-violation");
        Api.admin()
                .get("/api/devices/" + feed.id() + "/problems")
                .then()
                .body("[0].detail", startsWith("reading 1 (temperature)"));
    }

    private static void assertQuarantined(CraftedFeed feed, long seq, String reason) throws Exception {
        Api.admin()
                .get("/api/devices/" + feed.id() + "/problems")
                .then()
                .statusCode(200)
                .body("[0].seq", equalTo((int) seq))
                .body("[0].reason", equalTo(reason))
                .body("[0].action", equalTo("quarantined"));
        Api.admin()
                .get("/api/devices/" + feed.id())
                .then()
                .statusCode(200)
                .body("errors", greaterThanOrEqualTo(1))
                .body("lastError", startsWith(reason))
                .body("cursor", equalTo((int) seq + 1));
        assertThat(Sql.count("SELECT count(*) FROM ingest_problems WHERE device_id = '" + feed.id() + "' AND seq = "
                        + seq + " AND reason = '" + reason + "' AND token IS NOT NULL"))
                .isEqualTo(1);
    }
}
