package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peers against a real {@link DhtNode} on 127.0.0.1, driven byte by byte through
 * {@link RawPeer}: garbage after a valid handshake, forged records, stale seqs, outsiders'
 * records on a private network, too many connections, a request flood. Each time the node
 * refuses with the documented answer or close reason (docs/dht.md), counts it under that
 * name, keeps nothing it should not, and still serves an honest node.
 */
class HostileInputTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private Vertx vertx;
    private final List<DhtNode> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        for (DhtNode node : nodes) {
            TestNetwork.await(node.stop());
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DhtNode node(DhtOptions options, CountingDhtMetrics metrics) throws Exception {
        return node(Identity.generate(RANDOM), options, metrics);
    }

    private DhtNode node(Identity identity, DhtOptions options, CountingDhtMetrics metrics) throws Exception {
        DhtNode node = TestNetwork.await(
                DhtNode.start(vertx, identity, options, RecordLimits.DEFAULTS, null, Clock.systemUTC(), metrics));
        nodes.add(node);
        return node;
    }

    /** An honest node joins through {@code target}: its PING is answered and it learns the target. */
    private void assertServesAnHonestNode(DhtNode target) throws Exception {
        DhtNode honest = node(DhtOptions.defaults(), new CountingDhtMetrics());
        assertThat(TestNetwork.await(honest.bootstrap(List.of(new HostPort("127.0.0.1", target.port())))))
                .isGreaterThan(0);
        assertThat(TestNetwork.await(honest.findNode(target.id())))
                .extracting(c -> c.id())
                .contains(target.id());
    }

    private static List<VerifiedRecord> localRecords(DhtNode node, NodeId key) throws Exception {
        CompletableFuture<List<VerifiedRecord>> out = new CompletableFuture<>();
        node.context().runOnContext(v -> out.complete(node.localRecords(key)));
        return out.get(5, TimeUnit.SECONDS);
    }

    private static ObjectNode store(NodeId key, String token) {
        ObjectNode body = Json.object();
        body.put("key", key.hex());
        body.put("record", token);
        return body;
    }

    private static NodeId keyOf(String token) throws Exception {
        return RecordPayload.parse(Base64Url.decode(token.split("\\.")[1], "payload"))
                .key();
    }

    private static String record(Identity publisher, String salt, long seq, boolean log, String val) {
        long now = System.currentTimeMillis() / 1000;
        return Records.sign(publisher, salt, seq, now, now + 3600, log, json(val));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8), "test value");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertRefused(Envelope.Response answer, String code) {
        assertThat(answer).as("an answer, not a closed connection").isNotNull();
        assertThat(answer.ok()).as("refused").isFalse();
        assertThat(answer.code()).isEqualTo(code);
    }

    private static void assertStored(Envelope.Response answer, boolean stored) {
        assertThat(answer).isNotNull();
        assertThat(answer.ok())
                .as("accepted: %s %s", answer.code(), answer.message())
                .isTrue();
        assertThat(answer.body().get("stored").booleanValue()).isEqualTo(stored);
    }

    @Test
    void randomBytesAfterAValidHandshakeCloseThatSessionOnly() throws Exception {
        long seed = 0x5eedL;
        Random random = new Random(seed);
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults(), metrics);
        int cases = 30;
        long tooShort = 0;
        for (int i = 0; i < cases; i++) {
            try (RawPeer peer = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM))) {
                if (random.nextBoolean()) {
                    // an established session (its peer verified) is closed just the same
                    Envelope.Response pong = peer.call(Op.PING, Json.object());
                    assertThat(pong.ok()).as("seed %x case %d", seed, i).isTrue();
                }
                byte[] junk = new byte[1 + random.nextInt(i % 3 == 0 ? 15 : 2000)];
                random.nextBytes(junk);
                tooShort += junk.length < 16 ? 1 : 0;
                peer.sendRaw(junk);
                assertThat(peer.awaitClosed())
                        .as("seed %x case %d: closed", seed, i)
                        .isTrue();
                assertThat(peer.responsesUntilClosed())
                        .as("seed %x case %d: no answer", seed, i)
                        .isEmpty();
            }
        }
        // a frame shorter than the GCM tag is malformed; anything longer fails authentication
        long shortFrames = tooShort;
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metrics.rejections("bad-frame") + metrics.rejections("malformed-message") == cases);
        assertThat(metrics.rejections("malformed-message")).isEqualTo(shortFrames);
        assertThat(metrics.rejections("bad-frame")).isEqualTo(cases - shortFrames);
        assertServesAnHonestNode(target);
    }

    @Test
    void aSealedFrameThatIsNotAMessageClosesTheSession() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults(), metrics);
        List<String> notMessages = List.of(
                "not json",
                "{\"t\":\"req\",\"id\":1,\"op\":\"SHUTDOWN\"}",
                "{\"t\":\"hello\",\"id\":1}",
                "{\"t\":\"req\",\"id\":-1,\"op\":\"PING\"}",
                "{\"t\":\"req\",\"id\":4294967296,\"op\":\"PING\"}",
                "{\"t\":\"req\",\"id\":1.0,\"op\":\"PING\"}",
                "{\"t\":\"req\",\"id\":\"1\",\"op\":\"PING\"}",
                "{\"t\":\"req\",\"id\":1,\"op\":\"PING\",\"op\":\"STORE\"}",
                "{\"t\":\"req\",\"id\":1,\"op\":\"PING\"} {}");
        for (String text : notMessages) {
            try (RawPeer peer = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM))) {
                peer.sendSealed(text.getBytes(StandardCharsets.UTF_8));
                assertThat(peer.awaitClosed()).as(text).isTrue();
                assertThat(peer.responsesUntilClosed()).as(text).isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metrics.rejections("malformed-message") == notMessages.size());
        assertThat(metrics.rejections("bad-frame")).isZero();
        assertServesAnHonestNode(target);
    }

    @Test
    void aSessionThatNeverProvesItselfIsClosedAtTheHandshakeTimeout() throws Exception {
        // warm the crypto code up first, so that the short timeout below measures only our silence
        DhtNode warm = node(DhtOptions.defaults(), new CountingDhtMetrics());
        try (RawPeer peer = RawPeer.open(vertx, warm.port(), Identity.generate(RANDOM))) {
            assertThat(peer.call(Op.PING, Json.object()).ok()).isTrue();
        }
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults().withHandshakeTimeout(Duration.ofMillis(400)), metrics);
        // hellos exchanged (anyone can replay a recorded initiator hello that far), then silence
        try (RawPeer silent = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM));
                RawPeer live = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM))) {
            assertThat(live.call(Op.PING, Json.object()).ok()).isTrue();
            assertThat(silent.awaitClosed()).isTrue();
            assertThat(metrics.rejections("handshake-timeout")).isEqualTo(1);
            // a peer that proved itself is not subject to the handshake timeout
            Thread.sleep(500);
            assertThat(live.call(Op.PING, Json.object()).ok()).isTrue();
        }
    }

    @Test
    void forgedRecordsAreRefusedWithTheirCodeAndNothingIsStored() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults(), metrics);
        Identity publisher = Identity.generate(RANDOM);
        Identity forger = Identity.generate(RANDOM);
        String genuine = record(publisher, "td", 1, false, "{\"on\":true}");
        NodeId key = keyOf(genuine);
        String[] parts = genuine.split("\\.");

        // the payload changed under the publisher's signature
        ObjectNode payload = Json.parseObject(Base64Url.decode(parts[1], "payload"), "payload");
        payload.set("val", json("{\"on\":false}"));
        String tampered = parts[0] + "." + Base64Url.encode(Json.bytes(payload)) + "." + parts[2];
        // the publisher's header and payload, signed by another key
        String otherSignature = parts[0] + "." + parts[1] + "."
                + Base64Url.encode(forger.sign((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        // a well-signed token of the forger that names the publisher as pub
        String wrongSigner = Jws.standard().sign(forger, Records.TYP, Base64Url.decode(parts[1], "payload"));
        // a genuine record offered under a key it does not derive
        NodeId otherKey = RecordKey.of(publisher.publicKey(), "feed");

        try (RawPeer peer = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM))) {
            assertRefused(peer.call(Op.STORE, store(key, tampered)), "bad-signature");
            assertRefused(peer.call(Op.STORE, store(key, otherSignature)), "bad-signature");
            assertRefused(peer.call(Op.STORE, store(key, wrongSigner)), "bad-key");
            assertRefused(peer.call(Op.STORE, store(otherKey, genuine)), "bad-key");
            assertThat(localRecords(target, key)).isEmpty();
            assertThat(localRecords(target, otherKey)).isEmpty();
            assertThat(metrics.rejections("store-bad-signature")).isEqualTo(2);
            assertThat(metrics.rejections("store-bad-key")).isEqualTo(2);

            // a refused STORE is an answer, not a protocol violation: the session goes on
            assertStored(peer.call(Op.STORE, store(key, genuine)), true);
        }
        assertThat(localRecords(target, key)).extracting(VerifiedRecord::token).containsExactly(genuine);
        assertServesAnHonestNode(target);
    }

    @Test
    void aLowerSeqOrAForkIsRefusedAndTheStoredValueStays() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults(), metrics);
        Identity publisher = Identity.generate(RANDOM);
        String five = record(publisher, "td", 5, false, "{\"v\":5}");
        NodeId slot = keyOf(five);
        String logTwo = record(publisher, "feed", 2, true, "{\"n\":2}");
        NodeId log = keyOf(logTwo);
        try (RawPeer peer = RawPeer.open(vertx, target.port(), Identity.generate(RANDOM))) {
            assertStored(peer.call(Op.STORE, store(slot, five)), true);
            assertRefused(
                    peer.call(Op.STORE, store(slot, record(publisher, "td", 3, false, "{\"v\":3}"))), "seq-too-low");
            assertRefused(
                    peer.call(Op.STORE, store(slot, record(publisher, "td", 5, false, "{\"v\":\"other\"}"))),
                    "seq-too-low");
            assertStored(peer.call(Op.STORE, store(slot, five)), false);

            assertStored(peer.call(Op.STORE, store(log, logTwo)), true);
            assertRefused(
                    peer.call(Op.STORE, store(log, record(publisher, "feed", 2, true, "{\"n\":\"other\"}"))), "fork");
            assertRefused(peer.call(Op.STORE, store(log, record(publisher, "feed", 3, false, "{\"n\":3}"))), "fork");
        }
        assertThat(localRecords(target, slot)).extracting(VerifiedRecord::token).containsExactly(five);
        assertThat(localRecords(target, log)).extracting(VerifiedRecord::token).containsExactly(logTwo);
        assertThat(metrics.rejections("store-seq-too-low")).isEqualTo(2);
        assertThat(metrics.rejections("store-fork")).isEqualTo(2);
    }

    @Test
    void aPrivateNetworkRefusesRecordsOfPublishersOutsideItsAllowList() throws Exception {
        Identity gate = Identity.generate(RANDOM);
        Identity member = Identity.generate(RANDOM);
        Identity outsider = Identity.generate(RANDOM);
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target =
                node(gate, DhtOptions.defaults().withAllowList(Set.of(gate.publicKey(), member.publicKey())), metrics);
        String outsiders = record(outsider, "td", 1, false, "{\"on\":true}");
        String members = record(member, "td", 1, false, "{\"on\":true}");
        // the member's own session relays the outsider's record: the publisher decides, not the sender
        try (RawPeer peer = RawPeer.open(vertx, target.port(), member)) {
            assertRefused(peer.call(Op.STORE, store(keyOf(outsiders), outsiders)), "not-allowed");
            assertStored(peer.call(Op.STORE, store(keyOf(members), members)), true);
        }
        assertThat(localRecords(target, keyOf(outsiders))).isEmpty();
        assertThat(localRecords(target, keyOf(members))).hasSize(1);
        assertThat(metrics.rejections("store-not-allowed")).isEqualTo(1);

        // and the outsider itself does not get past the handshake
        RawPeer stranger = RawPeer.connect(vertx, target.port());
        assertThatThrownBy(() -> stranger.handshake(outsider, "streembit")).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.rejections("handshake-not-allowed") == 1);
    }

    @Test
    void connectionsOfOneNodeIdBeyondTheLimitAreClosed() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtNode target = node(DhtOptions.defaults(), metrics);
        int limit = DhtOptions.defaults().limits().connectionsPerPeer();
        Identity many = Identity.generate(RANDOM);
        List<RawPeer> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                RawPeer peer = RawPeer.open(vertx, target.port(), many);
                admitted.add(peer);
                assertThat(peer.call(Op.PING, Json.object()).ok()).isTrue();
            }
            // the handshake itself succeeds: a responder counts a peer once it proved the session keys
            try (RawPeer extra = RawPeer.open(vertx, target.port(), many)) {
                assertThat(extra.call(Op.PING, Json.object()))
                        .as("no answer past the limit")
                        .isNull();
                assertThat(extra.awaitClosed()).isTrue();
            }
            assertThat(metrics.rejections("too-many-connections")).isEqualTo(1);
            for (RawPeer peer : admitted) {
                assertThat(peer.call(Op.PING, Json.object()).ok())
                        .as("the admitted ones stay open")
                        .isTrue();
            }

            // a closed connection frees its place
            long closedBefore = metrics.count("connections.closed");
            admitted.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics.count("connections.closed") == closedBefore + 1);
            RawPeer again = RawPeer.open(vertx, target.port(), many);
            admitted.add(again);
            assertThat(again.call(Op.PING, Json.object()).ok()).isTrue();
            assertThat(metrics.rejections("too-many-connections")).isEqualTo(1);
        } finally {
            admitted.forEach(RawPeer::close);
        }
        assertServesAnHonestNode(target);
    }

    @Test
    void aFindValueFloodIsCutOffAndTheFlooderBanned() throws Exception {
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        DhtOptions strict = DhtOptions.defaults()
                .withLimits(new DhtOptions.PeerLimits(
                        50, 20, 4, 32, 1 << 20, Duration.ofSeconds(60), 256, Duration.ofSeconds(120)));
        DhtNode target = node(strict, metrics);
        Identity flooder = Identity.generate(RANDOM);
        ObjectNode findValue = Json.object();
        findValue.put("key", Identity.generate(RANDOM).nodeId().hex());
        int sent = 200;
        List<Envelope.Response> answers;
        try (RawPeer peer = RawPeer.open(vertx, target.port(), flooder)) {
            for (int i = 0; i < sent; i++) {
                peer.send(Op.FIND_VALUE, findValue);
            }
            answers = peer.responsesUntilClosed();
        }
        // the burst (20) and what refilled meanwhile are answered, then the peer is cut off
        assertThat(answers).hasSizeBetween(20, sent / 2).allMatch(Envelope.Response::ok);
        assertThat(answers.get(0).body().get("head").asLong()).isEqualTo(-1);
        assertThat(metrics.rejections("rate-limited")).isEqualTo(1);
        assertThat(metrics.count("served.FIND_VALUE")).isEqualTo(answers.size());

        // banned: the same node id's next hello gets no answer
        RawPeer back = RawPeer.connect(vertx, target.port());
        assertThatThrownBy(() -> back.handshake(flooder, "streembit")).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.rejections("banned") == 1);
        assertServesAnHonestNode(target);
    }
}
