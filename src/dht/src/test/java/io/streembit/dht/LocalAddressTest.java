package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3: addresses peers hand out are dialled only when they could be another
 * node's on this network: a node that is not on a local network refuses loopback, link-local
 * and unspecified addresses in answers; and a peer's address in the table is the one seen on its
 * connection, not the name that was dialled.
 */
class LocalAddressTest {
    @Test
    void loopbackLinkLocalAndUnspecifiedContactsFromAnswersAreNotDialledOffALocalNetwork() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            DhtNode victim = net.add(TestNetwork.testOptions().withLocalAddresses(DhtOptions.LocalAddresses.REFUSE));
            DhtNode internal = TestNetwork.await(DhtNode.start(
                    net.vertx,
                    Identity.generate(TestNetwork.RANDOM),
                    TestNetwork.testOptions(),
                    RecordLimits.DEFAULTS,
                    null,
                    Clock.systemUTC(),
                    new CountingDhtMetrics()));
            try (RawPeer liar = RawPeer.open(net.vertx, victim.port(), Identity.generate(TestNetwork.RANDOM))) {
                assertThat(liar.call(Op.PING, Json.object())).isNotNull();
                CompletableFuture<List<Contact>> found = victim.findNode(NodeId.sha1Of(new byte[] {5}))
                        .toCompletionStage()
                        .toCompletableFuture();
                ArrayNode nodes = Json.MAPPER.createArrayNode();
                nodes.add(internal.contact().toJson()); // 127.0.0.1: a service on the victim's own host
                nodes.add(Contact.of(Identity.generate(TestNetwork.RANDOM).publicKey(), "169.254.169.254", 80)
                        .toJson());
                nodes.add(Contact.of(Identity.generate(TestNetwork.RANDOM).publicKey(), "0.0.0.0", 4000)
                        .toJson());
                nodes.add(Contact.of(Identity.generate(TestNetwork.RANDOM).publicKey(), "fe80::1", 4000)
                        .toJson());
                ObjectNode answer = Json.object();
                answer.set("nodes", nodes);
                liar.serveOnce(Op.FIND_NODE, answer);
                List<Contact> result = found.get(10, TimeUnit.SECONDS);
                assertThat(result).extracting(Contact::id).doesNotContain(internal.id());
                assertThat(net.metrics.rejections("reply-local-address")).isEqualTo(4);
            } finally {
                TestNetwork.await(internal.stop());
            }
        }
    }

    @Test
    void onALoopbackNodeTheyAreDialledAsBefore() {
        // the default (AUTO) is local for a node bound to a loopback address: every test and the demo
        assertThat(TestNetwork.testOptions().localNetwork()).isTrue();
        assertThat(TestNetwork.testOptions().withHost("0.0.0.0").localNetwork()).isFalse();
        assertThat(TestNetwork.testOptions()
                        .withHost("0.0.0.0")
                        .withLocalAddresses(DhtOptions.LocalAddresses.ALLOW)
                        .localNetwork())
                .isTrue();
    }

    @Test
    void aPeerDialledByNameIsKeptUnderTheAddressSeen() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            DhtNode seed = net.add(TestNetwork.testOptions());
            DhtNode joiner = TestNetwork.await(DhtNode.start(
                    net.vertx,
                    Identity.generate(TestNetwork.RANDOM),
                    TestNetwork.testOptions(),
                    RecordLimits.DEFAULTS,
                    null,
                    Clock.systemUTC(),
                    net.metrics));
            net.nodes.add(joiner);
            TestNetwork.await(joiner.bootstrap(List.of(new HostPort("localhost", seed.port()))));
            CompletableFuture<List<Contact>> table = new CompletableFuture<>();
            joiner.context().runOnContext(v -> table.complete(joiner.table().closest(seed.id(), 20)));
            Contact kept = table.get(5, TimeUnit.SECONDS).get(0);
            assertThat(kept.id()).isEqualTo(seed.id());
            assertThat(kept.host()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        }
    }
}
