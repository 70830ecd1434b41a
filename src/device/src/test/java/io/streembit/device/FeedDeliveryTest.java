package io.streembit.device;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Readings travel from a device to a stand-in gateway over a real DHT on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedDeliveryTest {
    private TestNetwork net;

    @BeforeAll
    void network() throws Exception {
        net = new TestNetwork();
        net.grow(10);
    }

    @AfterAll
    void close() throws Exception {
        net.close();
    }

    static DeviceOptions.Builder options(TestNetwork net, Identity device, TestGateway gateway, Path dir)
            throws ProtocolException {
        return DeviceOptions.builder(device, Things.load("thermostat"), gateway.offer(), dir)
                .seedAddresses(net.seeds())
                .batch(10, Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(500))
                .republish(Duration.ofSeconds(2), 100)
                .dht(TestNetwork.testOptions());
    }

    static Reading temperature(long ts, double value) {
        return new Reading("temperature", ts, DoubleNode.valueOf(value));
    }

    static String text(Reading r) {
        return r.name() + "@" + r.ts() + "="
                + r.value().decimalValue().stripTrailingZeros().toPlainString();
    }

    @Test
    void everyBatchArrivesOnceInOrderReadableOnlyByTheGatewayAndAcksFreeTheBuffer(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceAgent agent = await(
                DeviceAgent.start(net.vertx, options(net, device, gateway, dir).build(), CommandHandler.none()));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), true);
        try {
            List<Reading> sent = new ArrayList<>();
            long ts = 1_764_000_000_000L;
            // single readings and groups, some groups spanning a batch boundary (10 readings)
            for (int call = 0; call < 25; call++) {
                int count = call % 3 == 0 ? 7 : 1;
                List<Reading> group = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    group.add(temperature(ts++, 20 + (sent.size() + i) / 10.0));
                }
                sent.addAll(group);
                agent.publish(group);
            }
            await(agent.flush());

            await().atMost(Duration.ofSeconds(20)).until(() -> feed.readings.size() >= sent.size());
            // one more entry: a duplicate or extra entry sealed before it would arrive before it
            Reading last = temperature(ts, 30.0);
            sent.add(last);
            agent.publish(last);
            await(agent.flush());
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.readings.size() >= sent.size());
            assertThat(feed.problems).isEmpty();
            // the wire reads numbers back as decimals: compare by value
            assertThat(feed.readings.stream().map(FeedDeliveryTest::text).toList())
                    .containsExactlyElementsOf(
                            sent.stream().map(FeedDeliveryTest::text).toList());
            List<Long> ns = feed.entries.stream().map(FeedEntry::n).toList();
            assertThat(ns).startsWith(1L).doesNotHaveDuplicates().isSorted();
            assertThat(ns.get(ns.size() - 1)).isEqualTo((long) ns.size());
            assertThat(feed.entries).allSatisfy(e -> assertThat(e.readings()).hasSizeLessThanOrEqualTo(10));
            assertThat(feed.entries.size()).isGreaterThanOrEqualTo((sent.size() + 9) / 10);

            // readable only with the gateway's key
            Identity other = Identity.generate(TestNetwork.RANDOM);
            for (String token : feed.tokens) {
                VerifiedRecord record = gateway.node.verify(token);
                assertThatThrownBy(() -> FeedEntries.standard().open(record, other))
                        .isInstanceOfSatisfying(
                                ProtocolException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPT_FAILED));
            }

            // the gateway's acks empty the buffer
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.stats().bufferedEntries() == 0);
            DeviceStats stats = agent.stats();
            assertThat(stats.ackedN()).isEqualTo(stats.lastN()).isEqualTo(ns.size());
            assertThat(stats.readingsPublished()).isEqualTo(sent.size());
            assertThat(stats.entriesSent()).isEqualTo(ns.size());
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    @Test
    void aBatchThatDoesNotFillUpIsSealedAfterTheDelay(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceAgent agent = await(DeviceAgent.start(
                net.vertx,
                options(net, device, gateway, dir)
                        .batch(50, Duration.ofMillis(700))
                        .build(),
                CommandHandler.none()));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), false);
        try {
            long start = System.nanoTime();
            var first = agent.publish(temperature(1, 20.0));
            agent.publish(temperature(2, 20.5));
            var third = agent.publish(temperature(3, 21.0));
            assertThat(await(first)).isEqualTo(1L);
            assertThat(await(third)).isEqualTo(1L);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMillis).isBetween(600L, 5000L);
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() == 1);
            assertThat(feed.entries.get(0).readings()).hasSize(3);
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    @Test
    void theThingDescriptionIsPublishedAsATdRecord(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceAgent agent = await(
                DeviceAgent.start(net.vertx, options(net, device, gateway, dir).build(), CommandHandler.none()));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.publishedTdSeq() > 0);
            Optional<VerifiedRecord> td = await(gateway.node.get(RecordKey.of(device.publicKey(), "td")));
            assertThat(td).isPresent();
            assertThat(td.get().isLog()).isFalse();
            assertThat(td.get().payload().val())
                    .isEqualTo(Things.load("thermostat").json());
            long now = System.currentTimeMillis() / 1000;
            assertThat(td.get().seq()).isBetween(now - 60, now + 1);
        } finally {
            await(agent.stop());
        }
    }

    @Test
    void readingsTheThingDescriptionDoesNotAllowAreRefusedAtOnce(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceAgent agent = await(
                DeviceAgent.start(net.vertx, options(net, device, gateway, dir).build(), CommandHandler.none()));
        try {
            assertThatThrownBy(() -> await(agent.publish(temperature(1, 120.0))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
                        assertThat(e.getMessage()).contains("/temperature").contains("maximum 85");
                    });
            assertThatThrownBy(() -> await(agent.publish(new Reading("pressure", 1, DoubleNode.valueOf(1)))))
                    .isInstanceOfSatisfying(
                            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION));
            assertThatThrownBy(() -> await(agent.publish(new Reading("$command-result", 1, DoubleNode.valueOf(1)))))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("reserved");
            assertThat(agent.stats().entriesSealed()).isZero();
        } finally {
            await(agent.stop());
        }
    }
}
