package io.streembit.dht;

import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 2: identities are free, so limits hold per IP address and per network (/24,
 * /64) as well as per node id; and answers nobody asked for count against their sender. The
 * per-address limits skip loopback unless {@code limitLoopback}, which these tests set (every
 * peer here is on 127.0.0.0/8).
 */
class AddressLimitsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private Vertx vertx;
    private final List<DhtNode> nodes = new ArrayList<>();
    private final List<RawPeer> peers = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        peers.forEach(RawPeer::close);
        for (DhtNode node : nodes) {
            TestNetwork.await(node.stop());
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DhtNode node(DhtOptions.PeerLimits limits, CountingDhtMetrics metrics) throws Exception {
        DhtNode node = TestNetwork.await(DhtNode.start(
                vertx,
                Identity.generate(RANDOM),
                DhtOptions.defaults().withLimits(limits),
                RecordLimits.DEFAULTS,
                null,
                Clock.systemUTC(),
                metrics));
        nodes.add(node);
        return node;
    }

    private RawPeer open(DhtNode node, Identity me) throws Exception {
        RawPeer peer = RawPeer.open(vertx, node.port(), me);
        peers.add(peer);
        return peer;
    }

    private RawPeer openFrom(DhtNode node, String local) throws Exception {
        RawPeer peer = RawPeer.connectFrom(vertx, node.port(), local);
        peer.handshake(Identity.generate(RANDOM), "streembit");
        peers.add(peer);
        return peer;
    }

    @Test
    void unsolicitedAnswersCountAgainstTheirSenderAndGetItBanned() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode node = node(
                new DhtOptions.PeerLimits(
                        50, 100, 4, 32, 1 << 20, Duration.ofSeconds(60), 256, Duration.ofSeconds(120)),
                metrics);
        Identity flooder = Identity.generate(RANDOM);
        RawPeer peer = open(node, flooder);
        for (int i = 0; i < 300; i++) {
            peer.sendSealed(Envelope.encode(Envelope.Response.ok(1_000 + i, Json.object())));
        }
        assertThat(peer.awaitClosed()).as("closed for its unsolicited answers").isTrue();
        assertThat(metrics.rejections("rate-limited")).isEqualTo(1);
        assertThat(metrics.rejections("unsolicited-response")).isPositive();
        // banned: its next hello is refused
        assertThatThrownBy(() -> open(node, flooder)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyIdentitiesFromOneAddressShareItsConnectionLimit() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode node = node(
                DhtOptions.PeerLimits.defaults()
                        .withAddressLimits(3, 64, 2000, 4000)
                        .withLimitLoopback(true),
                metrics);
        List<RawPeer> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawPeer peer = open(node, Identity.generate(RANDOM));
            assertThat(peer.call(Op.PING, Json.object())).isNotNull();
            first.add(peer);
        }
        RawPeer fourth = open(node, Identity.generate(RANDOM));
        assertThat(fourth.call(Op.PING, Json.object()))
                .as("the fourth identity from 127.0.0.1")
                .isNull();
        assertThat(metrics.rejections("too-many-connections-ip")).isEqualTo(1);
        for (RawPeer peer : first) {
            assertThat(peer.call(Op.PING, Json.object())).isNotNull();
        }
    }

    @Test
    void addressesOfOneSlash24ShareItsConnectionLimit() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode node = node(
                DhtOptions.PeerLimits.defaults()
                        .withAddressLimits(2, 3, 2000, 4000)
                        .withLimitLoopback(true),
                metrics);
        for (String local : List.of("127.0.0.1", "127.0.0.1", "127.0.0.2")) {
            assertThat(openFrom(node, local).call(Op.PING, Json.object()))
                    .as("from %s", local)
                    .isNotNull();
        }
        assertThat(openFrom(node, "127.0.0.3").call(Op.PING, Json.object()))
                .as("a fourth from 127.0.0.0/24")
                .isNull();
        assertThat(metrics.rejections("too-many-connections-prefix")).isEqualTo(1);
        // another /24 is not affected
        assertThat(openFrom(node, "127.0.1.1").call(Op.PING, Json.object())).isNotNull();
    }

    @Test
    void manyIdentitiesFromOneAddressShareItsRequestRate() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        // 500 requests/s per node id (the default), 50/s (burst 100) per IP
        DhtNode node = node(
                DhtOptions.PeerLimits.defaults()
                        .withAddressLimits(16, 64, 50, 4000)
                        .withLimitLoopback(true),
                metrics);
        List<RawPeer> sybils = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sybils.add(open(node, Identity.generate(RANDOM)));
        }
        // 4 x 60 PINGs: each identity is far under its own limit, together they pass the IP's
        for (RawPeer peer : sybils) {
            for (int i = 0; i < 60; i++) {
                peer.send(Op.PING, Json.object());
            }
        }
        boolean closed = false;
        for (RawPeer peer : sybils) {
            peer.responsesUntilClosed();
            closed = true;
        }
        assertThat(closed).isTrue();
        assertThat(metrics.rejections("rate-limited-ip")).isPositive();
        // the address is banned now: a new identity from it is refused at accept
        assertThatThrownBy(() -> open(node, Identity.generate(RANDOM))).isInstanceOf(IllegalStateException.class);
        assertThat(metrics.rejections("banned")).isPositive();
    }
}
