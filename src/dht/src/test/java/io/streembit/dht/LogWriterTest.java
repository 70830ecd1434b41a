package io.streembit.dht;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;

/** A writer keeps its storing nodes, and drops them when they stop answering, under concurrent appends. */
class LogWriterTest {
    @Test
    void aWriterThatFoundNoStoringNodeLooksAgainOnceTheNetworkIsThere() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            // a device whose first entry came before its node knew anyone (its join was slow)
            DhtNode alone = net.add(TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            LogWriter writer = alone.logWriter(key);
            PutResult lonely = await(writer.append(record(device, "feed", 1, true, new IntNode(1))));
            assertThat(lonely.nodes()).isEmpty();

            net.grow(6, TestNetwork.testOptions()); // they join through it, so it learns of them

            PutResult next = await(writer.append(record(device, "feed", 2, true, new IntNode(2))));
            assertThat(next.nodes())
                    .as("looked up again, not the empty list of the first append")
                    .isNotEmpty();
            assertThat(next.stored()).isGreaterThan(1);
        }
    }

    @Test
    void concurrentAppendsSurviveTheLossOfMostStoringNodes() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(14, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            DhtNode writerNode = net.nodes.get(0);
            LogWriter writer = writerNode.logWriter(key);
            assertThat(await(writer.append(record(device, "feed", 1, true, new IntNode(1))))
                            .succeeded())
                    .isTrue();
            List<Contact> cached = writer.storingNodes();
            assertThat(cached).isNotEmpty();

            // most of the cached storing nodes go away without a word
            int killed = 0;
            for (Contact c : cached) {
                for (DhtNode n : new ArrayList<>(net.nodes)) {
                    if (n.id().equals(c.id()) && n != writerNode && killed < cached.size() - 1) {
                        net.kill(n);
                        killed++;
                    }
                }
            }

            // many appends in flight at once: every one completes, none is lost to a race
            List<Future<PutResult>> inFlight = new ArrayList<>();
            for (int n = 2; n <= 30; n++) {
                inFlight.add(writer.append(record(device, "feed", n, true, new IntNode(n))));
            }
            for (Future<PutResult> f : inFlight) {
                await(f);
            }
            // the writer noticed and looked the storing nodes up again: a new entry is widely stored
            PutResult after = await(writer.append(record(device, "feed", 31, true, new IntNode(31))));
            PutResult again = await(writer.append(record(device, "feed", 32, true, new IntNode(32))));
            assertThat(Math.max(after.stored(), again.stored())).isGreaterThan(1);
            // any node left finds it (how many are left depends on how many the writer had cached)
            DhtNode reader = net.nodes.get(net.nodes.size() - 1);
            assertThat(await(reader.getLog(key, 31, 10)).entries()).isNotEmpty();
        }
    }
}
