package io.streembit.dht;

import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 5, on real nodes over 127.0.0.1: a peer that completed its handshake and then
 * stopped answering (a hung process, a host gone behind an open connection) must not make a
 * lookup wait for the request timeout.
 */
class LookupPatienceTest {
    @Test
    void aLookupDoesNotWaitTheRequestTimeoutForAPeerThatNeverAnswers() throws Exception {
        DhtOptions options = TestNetwork.testOptions().withRequestTimeout(Duration.ofSeconds(30));
        try (TestNetwork net = new TestNetwork()) {
            net.grow(6, options);
            DhtNode origin = net.nodes.get(0);
            // a peer that handshakes, answers one PING (so the node admits it to its table) and then
            // reads nothing more
            Identity hungId = Identity.generate(TestNetwork.RANDOM);
            try (RawPeer hung = RawPeer.open(net.vertx, origin.port(), hungId)) {
                assertThat(hung.call(Op.PING, Json.object())).isNotNull();
                NodeId hungNode = hungId.nodeId();
                // the five other nodes and the hung peer: a lookup asks every one of them
                assertThat(origin.knownPeers()).isEqualTo(net.nodes.size());

                long started = System.nanoTime();
                List<Contact> found = origin.findNode(hungNode)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - started) / 1_000_000;

                // before pacing this took the full 30 s request timeout
                assertThat(millis).as("lookup took %d ms", millis).isLessThan(5_000);
                assertThat(found).extracting(Contact::id).doesNotContain(hungNode);
                assertThat(found).hasSize(net.nodes.size() - 1);
            }
        }
    }
}
