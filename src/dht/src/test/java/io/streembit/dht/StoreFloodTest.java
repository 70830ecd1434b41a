package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 1: a STORE flood of valid records, each under its own salt, must not grow a
 * node's memory past its budget, and honest records must still be stored and served.
 */
class StoreFloodTest {
    /** A value that makes a token of about 15 KB (the record limit is 16 KiB). */
    private static final TextNode BIG = new TextNode("x".repeat(11_000));

    static String bigRecord(Identity publisher, String salt) {
        long now = System.currentTimeMillis() / 1000;
        return Records.sign(publisher, salt, 1, now, now + 3600, false, BIG);
    }

    static ObjectNode store(String token, NodeId key) {
        ObjectNode body = Json.object();
        body.put("key", key.hex());
        body.put("record", token);
        return body;
    }

    /** Token bytes the node holds under {@code keys}, read on its event loop. */
    static long heldBytes(DhtNode node, List<NodeId> keys) throws Exception {
        CompletableFuture<Long> out = new CompletableFuture<>();
        node.context().runOnContext(v -> {
            long sum = 0;
            for (NodeId key : keys) {
                for (VerifiedRecord r : node.localRecords(key)) {
                    sum += r.token().length();
                }
            }
            out.complete(sum);
        });
        return out.get(10, TimeUnit.SECONDS);
    }

    /** A peer STOREs {@code token}, and another reads it back with FIND_VALUE. */
    static void assertHonestRecordStoredAndServed(TestNetwork net, DhtNode target, String token, NodeId key)
            throws Exception {
        try (RawPeer peer = RawPeer.open(net.vertx, target.port(), Identity.generate(TestNetwork.RANDOM))) {
            Envelope.Response answer = peer.call(Op.STORE, store(token, key));
            assertThat(answer.ok()).as("%s %s", answer.code(), answer.message()).isTrue();
        }
        try (RawPeer reader = RawPeer.open(net.vertx, target.port(), Identity.generate(TestNetwork.RANDOM))) {
            ObjectNode body = Json.object();
            body.put("key", key.hex());
            Envelope.Response answer = reader.call(Op.FIND_VALUE, body);
            assertThat(answer.ok()).isTrue();
            assertThat(answer.body().get("records")).hasSize(1);
            assertThat(answer.body().get("records").get(0).asText()).isEqualTo(token);
        }
    }

    @Test
    void oneSignersFloodUnderManySaltsIsCappedAtItsBudgetAndHonestRecordsAreStillStored() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            DhtNode target = net.add(TestNetwork.testOptions());
            Identity flooder = Identity.generate(TestNetwork.RANDOM);
            List<NodeId> keys = new ArrayList<>();
            int refused = 0;
            // 2,400 records of 15 KB (36 MB) relayed by three peers, each under its rate limit
            for (int relay = 0; relay < 3; relay++) {
                try (RawPeer peer = RawPeer.open(net.vertx, target.port(), Identity.generate(TestNetwork.RANDOM))) {
                    for (int i = 0; i < 800; i++) {
                        String salt = "flood-" + relay + "-" + i;
                        NodeId key = RecordKey.of(flooder.publicKey(), salt);
                        keys.add(key);
                        Envelope.Response answer = peer.call(Op.STORE, store(bigRecord(flooder, salt), key));
                        assertThat(answer).as("STORE %d answered", keys.size()).isNotNull();
                        if (!answer.ok()) {
                            assertThat(answer.code()).isEqualTo("too-large");
                            refused++;
                        }
                    }
                }
            }
            long held = heldBytes(target, keys);
            System.out.printf("one signer: %d of %d records refused, %d bytes held%n", refused, keys.size(), held);
            // the default budget per signer: 20 MiB of tokens
            assertThat(held).isLessThanOrEqualTo(20L << 20);
            assertThat(refused).isGreaterThan(0);

            // an honest publisher's record still goes in, and is served
            Identity honest = Identity.generate(TestNetwork.RANDOM);
            long now = System.currentTimeMillis() / 1000;
            String token = Records.sign(honest, "td", 1, now, now + 3600, false, new TextNode("honest"));
            NodeId key = RecordKey.of(honest.publicKey(), "td");
            assertHonestRecordStoredAndServed(net, target, token, key);
        }
    }

    @Test
    void aFloodFromManySignersStaysUnderTheNodesBudgetAndKeysCloseToTheNodeStillGoIn() throws Exception {
        long budget = 8L << 20;
        DhtOptions options = TestNetwork.testOptions()
                .withRetention(io.streembit.dht.store.RetentionLimits.defaults().withMaxBytes(budget));
        try (TestNetwork net = new TestNetwork()) {
            DhtNode target = net.add(options);
            List<NodeId> keys = new ArrayList<>();
            // 40 signers, 20 records of 15 KB each: 12 MB against a budget of 8 MiB
            for (int relay = 0; relay < 2; relay++) {
                try (RawPeer peer = RawPeer.open(net.vertx, target.port(), Identity.generate(TestNetwork.RANDOM))) {
                    for (int signer = 0; signer < 20; signer++) {
                        Identity flooder = Identity.generate(TestNetwork.RANDOM);
                        for (int i = 0; i < 20; i++) {
                            NodeId key = RecordKey.of(flooder.publicKey(), "s" + i);
                            keys.add(key);
                            Envelope.Response answer = peer.call(Op.STORE, store(bigRecord(flooder, "s" + i), key));
                            assertThat(answer).isNotNull();
                            assertThat(answer.ok() || "too-large".equals(answer.code()))
                                    .as(answer.code())
                                    .isTrue();
                        }
                    }
                }
            }
            long held = heldBytes(target, keys);
            System.out.printf("40 signers: %d bytes held of %d sent%n", held, keys.size() * 15_000L);
            assertThat(held).isLessThanOrEqualTo(budget);

            // an honest record under a key this node is responsible for (close to its id) goes in,
            // in place of the farthest keys
            Identity honest = Identity.generate(TestNetwork.RANDOM);
            String salt = null;
            for (int i = 0; salt == null; i++) {
                NodeId key = RecordKey.of(honest.publicKey(), "td" + i);
                if (target.id().bucketIndex(key) < 152) { // shares the first 8 bits with the node id
                    salt = "td" + i;
                }
            }
            long now = System.currentTimeMillis() / 1000;
            String token = Records.sign(honest, salt, 1, now, now + 3600, false, BIG);
            NodeId key = RecordKey.of(honest.publicKey(), salt);
            assertHonestRecordStoredAndServed(net, target, token, key);
            keys.add(key);
            assertThat(heldBytes(target, keys)).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void aNodeRefusesKeysItIsNotAmongTheClosestOf() throws Exception {
        // with a rank of 3 in a network of 8, a node takes a key only when at most 2 others are closer
        DhtOptions options = TestNetwork.testOptions().withStoreRank(3);
        try (TestNetwork net = new TestNetwork()) {
            net.grow(8, options);
            DhtNode target = net.nodes.get(7);
            TestNetwork.await(target.findNode(target.id()));
            assertThat(target.knownPeers()).isEqualTo(7);
            Identity publisher = Identity.generate(TestNetwork.RANDOM);
            int refused = 0;
            int taken = 0;
            Identity relay = Identity.generate(TestNetwork.RANDOM);
            // the relay itself joins the target's table once its connection is verified
            List<NodeId> known = new ArrayList<>(List.of(relay.nodeId()));
            net.nodes.stream().filter(n -> n != target).forEach(n -> known.add(n.id()));
            try (RawPeer peer = RawPeer.open(net.vertx, target.port(), relay)) {
                for (int i = 0; i < 30; i++) {
                    NodeId key = RecordKey.of(publisher.publicKey(), "k" + i);
                    long closer = known.stream()
                            .filter(id -> java.util.Arrays.compareUnsigned(
                                            id.distance(key), target.id().distance(key))
                                    < 0)
                            .count();
                    long now = System.currentTimeMillis() / 1000;
                    String token = Records.sign(publisher, "k" + i, 1, now, now + 3600, false, new TextNode("v"));
                    Envelope.Response answer = peer.call(Op.STORE, store(token, key));
                    if (closer >= 3) {
                        assertThat(answer.code())
                                .as("key %d, %d nodes closer", i, closer)
                                .isEqualTo("not-allowed");
                        refused++;
                    } else {
                        assertThat(answer.ok())
                                .as("key %d, %d nodes closer: %s", i, closer, answer.code())
                                .isTrue();
                        taken++;
                    }
                }
            }
            assertThat(refused).isGreaterThan(0);
            assertThat(taken).isGreaterThan(0);
        }
    }

    @Test
    void aNodeThatStoresNothingForOthersRefusesStoresButKeepsItsOwnRecords() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(3, TestNetwork.testOptions());
            DhtNode gateway = net.add(TestNetwork.testOptions().withStoreForOthers(false));
            Identity publisher = Identity.generate(TestNetwork.RANDOM);
            long now = System.currentTimeMillis() / 1000;
            String token = Records.sign(publisher, "td", 1, now, now + 3600, false, new TextNode("v"));
            NodeId key = RecordKey.of(publisher.publicKey(), "td");
            try (RawPeer peer = RawPeer.open(net.vertx, gateway.port(), Identity.generate(TestNetwork.RANDOM))) {
                assertThat(peer.call(Op.STORE, store(token, key)).code()).isEqualTo("not-allowed");
            }
            assertThat(heldBytes(gateway, List.of(key))).isZero();
            // its own put: it is among the closest of four, so it keeps a copy
            Identity own = gateway.identity();
            String mine = Records.sign(own, "ack", 1, now, now + 3600, false, new TextNode("a"));
            assertThat(TestNetwork.await(gateway.put(mine)).succeeded()).isTrue();
            assertThat(heldBytes(gateway, List.of(RecordKey.of(own.publicKey(), "ack"))))
                    .isPositive();
            assertThat(TestNetwork.await(net.nodes.get(0).get(RecordKey.of(own.publicKey(), "ack"))))
                    .isPresent();
        }
    }
}
