package io.streembit.dht;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A subscriber gets every entry of a log exactly once and in order, whatever the replicas do. */
class SubscriptionTest {
    @Test
    void everyEntryArrivesOnceInOrderIncludingThoseWrittenBeforeSubscribing() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(25, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            LogWriter writer = net.nodes.get(3).logWriter(key);
            for (int n = 1; n <= 20; n++) {
                await(writer.append(record(device, "feed", n, true, new IntNode(n))));
            }
            List<Long> seen = new CopyOnWriteArrayList<>();
            DhtNode gateway = net.nodes.get(17);
            gateway.subscribeLog(key, 1, r -> {
                        seen.add(r.seq());
                        return Future.succeededFuture();
                    })
                    .pollEvery(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 20);
            for (int n = 21; n <= 60; n++) {
                await(writer.append(record(device, "feed", n, true, new IntNode(n))));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 60);
            // a duplicate of 1..60 (a late replica's notification, a poll) would reach the handler
            // before entry 61 does: the subscription delivers in order
            await(writer.append(record(device, "feed", 61, true, new IntNode(61))));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(61L));
            assertThat(seen)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 61).boxed().toList());
        }
    }

    @Test
    void aFailingHandlerGetsTheSameEntryAgainAndNothingIsSkipped() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(12, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            LogWriter writer = net.nodes.get(2).logWriter(key);
            for (int n = 1; n <= 10; n++) {
                await(writer.append(record(device, "feed", n, true, new IntNode(n))));
            }
            List<Long> seen = new CopyOnWriteArrayList<>();
            int[] failuresLeft = {2};
            net.nodes
                    .get(9)
                    .subscribeLog(key, 1, r -> {
                        if (r.seq() == 5 && failuresLeft[0]-- > 0) {
                            return Future.failedFuture(new IllegalStateException("sink down"));
                        }
                        seen.add(r.seq());
                        return Future.succeededFuture();
                    })
                    .pollEvery(Duration.ofMillis(300));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 10);
            assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }

    @Test
    void entriesNotifiedWhileTheHandlerIsBusyAreDeliveredFromMemoryNotFetchedAgain() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            net.grow(12, TestNetwork.testOptions());
            Identity device = Identity.generate(TestNetwork.RANDOM);
            NodeId key = RecordKey.of(device.publicKey(), "feed");
            LogWriter writer = net.nodes.get(4).logWriter(key);
            DhtNode gateway = net.nodes.get(10);
            List<Long> seen = new CopyOnWriteArrayList<>();
            // a slow sink: each record takes 30 ms, while the device writes one every 10 ms
            gateway.subscribeLog(key, 1, r -> {
                        seen.add(r.seq());
                        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
                        net.vertx.setTimer(30, t -> done.complete());
                        return done.future();
                    })
                    .pollEvery(Duration.ofSeconds(1)); // a missed notification costs at most a poll
            // subscribed on the holders: each of them answered the SUBSCRIBE
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> net.metrics.count("sent.SUBSCRIBE.ok")
                            >= TestNetwork.testOptions().logReplication());
            long fetchesBefore = net.metrics.count("served.FIND_VALUE");
            for (int n = 1; n <= 40; n++) {
                await(writer.append(record(device, "feed", n, true, new IntNode(n))));
                Thread.sleep(10); // the scenario, not a wait: the device writes faster than the sink takes them
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 40);
            assertThat(seen)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 40).boxed().toList());
            long fetches = net.metrics.count("served.FIND_VALUE") - fetchesBefore;
            // before, every entry notified while busy was fetched again (about one page per entry,
            // 30 or more here); polls and the odd out-of-order notification add a few
            assertThat(fetches).as("log pages fetched for 40 notified entries").isLessThan(15);
        }
    }
}
