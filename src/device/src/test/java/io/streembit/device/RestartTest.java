package io.streembit.device;

import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
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
import java.util.ArrayList;
import java.util.List;

import static io.streembit.device.FeedDeliveryTest.temperature;
import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A device killed and started again on the same buffer and key continues its feed exactly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestartTest {
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

    private static List<Long> ns(TestGateway.Feed feed) {
        return feed.entries.stream().map(FeedEntry::n).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            out.add(n);
        }
        return out;
    }

    @Test
    void aKilledDeviceResumesAtTheNextNWithTheRightPrevAndNoDuplicate(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        DeviceOptions options = FeedDeliveryTest.options(net, device, gateway, dir)
                .batch(5, Duration.ofSeconds(30))
                .build();
        TestGateway.Feed feed = gateway.follow(device.publicKey(), false); // no acks: everything stays buffered
        List<Reading> sent = new ArrayList<>();
        try {
            DeviceAgent first = await(DeviceAgent.start(net.vertx, options, CommandHandler.none()));
            for (int i = 0; i < 30; i++) {
                sent.add(temperature(i, 20 + i / 10.0));
                first.publish(sent.get(i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() == 6);
            // three more readings sit in the open batch when the process dies: they are lost,
            // and their publish futures say so
            Future<Long> lost = first.publish(temperature(100, 30.0), temperature(101, 30.1), temperature(102, 30.2));
            await(first.halt());
            assertThatThrownBy(() -> await(lost)).hasMessageContaining("halted");

            DeviceAgent second = await(DeviceAgent.start(net.vertx, options, CommandHandler.none()));
            try {
                assertThat(second.stats().bufferedEntries()).isEqualTo(6);
                for (int i = 30; i < 50; i++) {
                    sent.add(temperature(i, 20 + i / 10.0));
                    second.publish(sent.get(i));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() >= 10);
                // the restarted device republished entries 1-6: they must not reappear. Once they are
                // stored again, one more entry: a copy of any of them would reach the gateway before it
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> second.stats().entriesRepublished() >= 6);
                for (int i = 50; i < 55; i++) {
                    sent.add(temperature(i, 20 + i / 10.0));
                    second.publish(sent.get(i));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() >= 11);
                assertThat(feed.problems).isEmpty(); // the chain links across the restart: no fork, gap, stale
                assertThat(ns(feed)).containsExactlyElementsOf(range(1, 11));
                assertThat(feed.readings.stream().map(FeedDeliveryTest::text).toList())
                        .containsExactlyElementsOf(
                                sent.stream().map(FeedDeliveryTest::text).toList());
                assertThat(second.stats().entriesRepublished()).isGreaterThanOrEqualTo(6);

                feed.acking = true;
                await(gateway.ack(device.publicKey(), 11));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> second.stats().bufferedEntries() == 0);
            } finally {
                await(second.stop());
            }
        } finally {
            feed.stop();
        }
    }

    @Test
    void entriesBufferedWhileOfflineAreDeliveredAfterARestart(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        DeviceOptions offline = FeedDeliveryTest.options(net, device, gateway, dir)
                .seeds(List.of("127.0.0.1:" + deadPort))
                .batch(4, Duration.ofMillis(100))
                .build();
        List<Reading> sent = new ArrayList<>();
        DeviceAgent first = await(DeviceAgent.start(net.vertx, offline, CommandHandler.none()));
        for (int i = 0; i < 12; i++) {
            sent.add(temperature(i, 18 + i / 10.0));
        }
        assertThat(await(first.publish(sent))).isEqualTo(3L);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().sendFailures() >= 3);
        assertThat(first.stats().entriesSent()).isZero();
        await(first.halt());

        DeviceAgent second = await(DeviceAgent.start(
                net.vertx, offline.toBuilder().seedAddresses(net.seeds()).build(), CommandHandler.none()));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), true);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() >= 3);
            assertThat(feed.problems).isEmpty();
            assertThat(ns(feed)).containsExactly(1L, 2L, 3L);
            assertThat(feed.readings.stream().map(FeedDeliveryTest::text).toList())
                    .containsExactlyElementsOf(
                            sent.stream().map(FeedDeliveryTest::text).toList());
            await().atMost(Duration.ofSeconds(20)).until(() -> second.stats().bufferedEntries() == 0);
        } finally {
            feed.stop();
            await(second.stop());
        }
    }

    @Test
    void aDeviceThatStartedOfflineJoinsOnItsOwnWhenItsSeedComesUp(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        int seedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            seedPort = s.getLocalPort();
        }
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        DeviceAgent agent = await(DeviceAgent.start(
                net.vertx,
                FeedDeliveryTest.options(net, device, gateway, dir)
                        .seeds(List.of("127.0.0.1:" + seedPort))
                        .batch(4, Duration.ofMillis(100))
                        .build(),
                CommandTest.thermostat(calls)));
        TestGateway.Feed feed = gateway.follow(device.publicKey(), true);
        try {
            assertThat(await(agent.publish(temperature(1, 20), temperature(2, 21))))
                    .isEqualTo(1L);
            gateway.send(
                    device.publicKey(),
                    TestGateway.command("c-1", "setTargetTemperature", CommandTest.target(22), 300));
            // it tried to send entry 1 and could not: nobody to send it to
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.stats().sendFailures() >= 1);
            assertThat(agent.stats().entriesSent()).isZero();
            assertThat(agent.node().knownPeers()).isZero();

            // the seed the device was configured with comes up and joins the network
            var seed = await(io.streembit.dht.DhtNode.start(
                    net.vertx,
                    Identity.generate(TestNetwork.RANDOM),
                    TestNetwork.testOptions().withPort(seedPort)));
            try {
                await(seed.bootstrap(net.seeds()));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> feed.result("c-1") != null && feed.readings.size() == 2);
                assertThat(feed.result("c-1").status()).isEqualTo(io.streembit.protocol.feed.CommandResult.Status.OK);
                assertThat(calls).containsExactly("setTargetTemperature 22.0");
                assertThat(feed.problems).isEmpty();
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.stats().bufferedEntries() == 0);
            } finally {
                await(seed.stop());
            }
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    @Test
    void aDeviceWhoseBufferWasLostContinuesAfterTheNetworksLastEntry(@TempDir Path dir, @TempDir Path fresh)
            throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        TestGateway.Feed feed = gateway.follow(device.publicKey(), true);
        try {
            DeviceAgent first = await(DeviceAgent.start(
                    net.vertx,
                    FeedDeliveryTest.options(net, device, gateway, dir).build(),
                    CommandHandler.none()));
            assertThat(await(first.publish(temperature(1, 20.0)))).isEqualTo(1L);
            await(first.flush());
            await(first.publish(temperature(2, 20.5)));
            await(first.flush());
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() == 2);
            await(first.stop());

            DeviceAgent second = await(DeviceAgent.start(
                    net.vertx,
                    FeedDeliveryTest.options(net, device, gateway, fresh).build(),
                    CommandHandler.none()));
            try {
                assertThat(await(second.publish(temperature(3, 21.0)))).isEqualTo(3L);
                await().atMost(Duration.ofSeconds(20)).until(() -> feed.entries.size() == 3);
                assertThat(feed.problems).isEmpty();
            } finally {
                await(second.stop());
            }
        } finally {
            feed.stop();
        }
    }
}
