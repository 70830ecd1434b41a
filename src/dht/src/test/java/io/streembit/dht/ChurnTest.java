package io.streembit.dht;

import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes leave (some of them holding records) and come back: records stay reachable. */
class ChurnTest {
    @Test
    void killingThirtyPercentOfNodesIncludingHoldersLosesNoRecord() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(80, TestNetwork.testOptions());
            List<NodeId> keys = new ArrayList<>();
            Set<NodeId> holders = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                Identity publisher = Identity.generate(TestNetwork.RANDOM);
                PutResult put = await(net.random().put(record(publisher, "td", 1, false, new TextNode("v" + i))));
                assertThat(put.succeeded()).isTrue();
                keys.add(RecordKey.of(publisher.publicKey(), "td"));
                // the first few storing nodes of each record are among those killed
                for (Contact c : put.nodes().subList(0, Math.min(3, put.nodes().size()))) {
                    holders.add(c.id());
                }
            }
            List<DhtNode> victims = new ArrayList<>();
            for (DhtNode n : net.nodes) {
                if (holders.contains(n.id()) && victims.size() < 12) {
                    victims.add(n);
                }
            }
            List<DhtNode> others = new ArrayList<>(net.nodes);
            others.removeAll(victims);
            Collections.shuffle(others, TestNetwork.RANDOM);
            victims.addAll(others.subList(0, 24 - victims.size()));
            for (DhtNode victim : victims) {
                net.kill(victim);
            }
            assertThat(net.nodes).hasSize(56);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(await(net.random().get(keys.get(i))))
                        .as("record %d after churn", i)
                        .isPresent();
            }
        }
    }

    @Test
    void aDurableNodeRestartsWithItsRecords(@TempDir Path dir) throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(5, TestNetwork.testOptions());
            Identity durableId = Identity.generate(TestNetwork.RANDOM);
            DhtNode durable = net.add(durableId, TestNetwork.testOptions().withDataDir(dir));
            Identity publisher = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(publisher.publicKey(), "td");
            assertThat(await(durable.put(record(publisher, "td", 3, false, new TextNode("kept"))))
                            .succeeded())
                    .isTrue();
            assertThat(durable.localRecords(key)).hasSize(1);
            int port = durable.port();
            net.kill(durable);

            DhtNode restarted = net.add(
                    durableId, TestNetwork.testOptions().withDataDir(dir).withPort(port));
            assertThat(restarted.localRecords(key)).hasSize(1);
            assertThat(restarted.localRecords(key).get(0).payload().val().asText())
                    .isEqualTo("kept");
            // the other nodes forget it: only the restarted node can still serve it
            for (DhtNode other : net.nodes) {
                if (other != restarted) {
                    net.kill(other);
                    break;
                }
            }
            assertThat(await(net.nodes.get(0).get(key))).isPresent();
        }
    }
}
