package io.streembit.dht;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.dht.store.LogPage;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;

/** A 200-node network of real TCP nodes on 127.0.0.1: every put is found from anywhere. */
class NetworkTest {
    @Test
    void twoHundredNodesStoreAndFindEveryRecord() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(200, TestNetwork.testOptions());
            List<Identity> publishers = new ArrayList<>();
            List<NodeId> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Identity publisher = Identity.generate(TestNetwork.RANDOM);
                publishers.add(publisher);
                String salt = "td";
                PutResult put = await(net.random().put(record(publisher, salt, 1, false, new TextNode("v" + i))));
                assertThat(put.succeeded()).as("put %d: %s", i, put.errors()).isTrue();
                keys.add(RecordKey.of(publisher.publicKey(), salt));
            }
            for (int i = 0; i < keys.size(); i++) {
                Optional<VerifiedRecord> found = await(net.random().get(keys.get(i)));
                assertThat(found).as("record %d", i).isPresent();
                assertThat(found.get().payload().val().asText()).isEqualTo("v" + i);
                assertThat(found.get().publisher()).isEqualTo(publishers.get(i).publicKey());
            }
        }
    }

    @Test
    void aSlotKeepsTheHighestSeqAndRefusesALowerOne() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(30, TestNetwork.testOptions());
            Identity publisher = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(publisher.publicKey(), "ack");
            assertThat(await(net.random().put(record(publisher, "ack", 5, false, new IntNode(5))))
                            .succeeded())
                    .isTrue();
            assertThat(await(net.random().put(record(publisher, "ack", 7, false, new IntNode(7))))
                            .succeeded())
                    .isTrue();
            PutResult lower = await(net.random().put(record(publisher, "ack", 6, false, new IntNode(6))));
            assertThat(lower.errors()).containsKey("seq-too-low");
            assertThat(await(net.random().get(key)).orElseThrow().seq()).isEqualTo(7);
        }
    }

    @Test
    void aLogIsReadInPagesFromAnySeq() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(30, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            LogWriter writer = net.random().logWriter(key);
            for (int n = 1; n <= 150; n++) {
                assertThat(await(writer.append(record(device, "feed", n, true, new IntNode(n))))
                                .succeeded())
                        .isTrue();
            }
            DhtNode reader = net.random();
            List<Long> seqs = new ArrayList<>();
            long from = 1;
            while (true) {
                LogPage page = await(reader.getLog(key, from, 64));
                if (page.entries().isEmpty()) {
                    break;
                }
                page.entries().forEach(r -> seqs.add(r.seq()));
                from = page.entries().get(page.entries().size() - 1).seq() + 1;
            }
            assertThat(seqs).hasSize(150);
            assertThat(seqs.get(0)).isEqualTo(1);
            assertThat(seqs.get(149)).isEqualTo(150);
            assertThat(await(reader.get(key)).orElseThrow().seq()).isEqualTo(150);
        }
    }

    @Test
    void aReaderGetsTheFirstEntriesFromTheHolderThatHasThemNotOnlyFromTheHighestHead() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(8, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            DhtNode writer = net.nodes.get(7);
            DhtNode early = net.nodes.get(1);
            DhtNode late = net.nodes.get(2);
            // entry 1 reached only one holder; a second holder took the later ones, up to a higher head
            for (int n = 1; n <= 6; n++) {
                VerifiedRecord entry = writer.verify(record(device, "feed", n, true, new IntNode(n)));
                List<io.streembit.dht.wire.Contact> to = n == 1
                        ? List.of(early.contact())
                        : n == 6 ? List.of(late.contact()) : List.of(early.contact(), late.contact());
                await(writer.replicate(entry, to));
            }
            net.kill(writer); // it kept a copy of everything: the reader must do without it

            LogPage page = await(net.nodes.get(4).getLog(key, 1, 64));

            assertThat(page.entries()).isNotEmpty();
            assertThat(page.entries().get(0).seq())
                    .as("the page starts where the reader asked, from the holder that has entry 1")
                    .isEqualTo(1);
        }
    }
}
