package io.streembit.device;

import io.streembit.dht.Subscription;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.streembit.device.FeedDeliveryTest.temperature;
import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What a device does when the gateway acknowledges nothing and the buffer fills up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BufferPolicyTest {
    private TestNetwork net;

    @BeforeAll
    void network() throws Exception {
        net = new TestNetwork();
        net.grow(8);
    }

    @AfterAll
    void close() throws Exception {
        net.close();
    }

    @Test
    void blockWaitsForAnAckThenFailsWithBufferFullAndLeavesNoGap(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceAgent agent = await(DeviceAgent.start(
                net.vertx,
                FeedDeliveryTest.options(net, device, gateway, dir)
                        .batch(1, Duration.ofSeconds(1))
                        .buffer(3, BufferFullPolicy.BLOCK)
                        .bufferFullWait(Duration.ofSeconds(2))
                        .build(),
                CommandHandler.none()));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), false);
        try {
            for (int i = 1; i <= 3; i++) {
                assertThat(await(agent.publish(temperature(i, 20)))).isEqualTo(i);
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> await(agent.publish(temperature(4, 21))))
                    .isInstanceOfSatisfying(
                            BufferFullException.class,
                            e -> assertThat(e.capacity()).isEqualTo(3));
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1900);
            assertThat(agent.stats().bufferFullRejections()).isEqualTo(1);
            assertThat(agent.stats().lastN()).isEqualTo(3);

            // a publish that waits is released by an ack that frees space
            AtomicBoolean ackSent = new AtomicBoolean();
            Future<Long> waiting = agent.publish(temperature(5, 22));
            Future<Boolean> afterTheAck = waiting.map(n -> ackSent.get());
            assertThat(waiting.isComplete()).isFalse();
            ackSent.set(true);
            await(gateway.ack(device.publicKey(), 2));
            assertThat(await(waiting)).isEqualTo(4L);
            assertThat(await(afterTheAck))
                    .as("the publish completed only after the ack was sent")
                    .isTrue();
            assertThat(agent.stats().bufferedEntries()).isEqualTo(2);

            await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() == 4);
            assertThat(feed.problems).isEmpty();
            assertThat(feed.entries.stream().map(FeedEntry::n).toList()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(feed.readings.stream().map(r -> r.ts()).toList()).containsExactly(1L, 2L, 3L, 5L);
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    @Test
    void dropOldestKeepsTheNewestEntriesAndCountsTheDroppedOnes(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        DeviceOptions options = FeedDeliveryTest.options(net, device, gateway, dir)
                .seeds(List.of("127.0.0.1:" + deadPort))
                .batch(1, Duration.ofSeconds(1))
                .buffer(3, BufferFullPolicy.DROP_OLDEST)
                .build();
        DeviceAgent agent = await(DeviceAgent.start(net.vertx, options, CommandHandler.none()));
        for (int i = 1; i <= 5; i++) {
            assertThat(await(agent.publish(temperature(i, 20)))).isEqualTo(i);
        }
        DeviceStats stats = agent.stats();
        assertThat(stats.droppedEntries()).isEqualTo(2);
        assertThat(stats.bufferedEntries()).isEqualTo(3);
        assertThat(stats.bufferFullRejections()).isZero();
        await(agent.stop());

        // the dropped entries stay dropped after a restart; the chain goes on
        DeviceAgent again = await(DeviceAgent.start(
                net.vertx, options.toBuilder().seedAddresses(net.seeds()).build(), CommandHandler.none()));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), true);
        List<Long> fromFour = new CopyOnWriteArrayList<>();
        Subscription readerFromFour = gateway.node
                .subscribeLog(FeedEntries.key(device.publicKey()), 4, r -> {
                    fromFour.add(r.seq());
                    return Future.succeededFuture();
                })
                .pollEvery(Duration.ofMillis(500));
        try {
            assertThat(again.stats().bufferedEntries()).isEqualTo(3);
            assertThat(await(again.publish(temperature(6, 20)))).isEqualTo(6L);
            // the gateway cannot start: entries 1-2 were dropped before reaching the network (a gap).
            // A reader starting at 4 (entry 3 made room for 6) gets 4..6 from the same holders:
            // the gateway had them too
            await().atMost(Duration.ofSeconds(20)).until(() -> fromFour.contains(6L));
            assertThat(fromFour).containsExactly(4L, 5L, 6L);
            assertThat(feed.entries).isEmpty();
            assertThat(again.stats().bufferedEntries()).isEqualTo(3);
            assertThat(again.stats().droppedEntries()).isEqualTo(1); // entry 3 made room for 6
        } finally {
            readerFromFour.cancel();
            feed.stop();
            await(again.stop());
        }
    }
}
