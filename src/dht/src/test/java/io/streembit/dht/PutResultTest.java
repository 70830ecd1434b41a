package io.streembit.dht;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordKey;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A put is answered by every storing node, the publishing node included when it is among the
 * closest: its own refusal (a lower seq) is tallied like the others', it does not fail the put.
 */
class PutResultTest {
    @Test
    void aLowerSeqIsRefusedByEveryCopyIncludingThePublishersOwn() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(3, TestNetwork.testOptions());
            // three nodes, fewer than r = 8: each is among the closest, the publishing node too
            DhtNode publishing = net.nodes.get(2);
            Identity publisher = Identity.generate(TestNetwork.RANDOM);
            PutResult seven = await(publishing.put(record(publisher, "ack", 7, false, new IntNode(7))));
            assertThat(seven.stored()).isEqualTo(3);
            assertThat(seven.errors()).isEmpty();

            PutResult six = await(publishing.put(record(publisher, "ack", 6, false, new IntNode(6))));
            assertThat(six.succeeded()).isFalse();
            assertThat(six.errors()).isEqualTo(Map.of("seq-too-low", 3));
            assertThat(await(net.nodes.get(0).get(RecordKey.of(publisher.publicKey(), "ack")))
                            .orElseThrow()
                            .seq())
                    .isEqualTo(7);
        }
    }
}
