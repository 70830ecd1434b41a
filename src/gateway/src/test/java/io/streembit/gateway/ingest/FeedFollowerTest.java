package io.streembit.gateway.ingest;

import io.streembit.dht.DhtNode;
import io.streembit.gateway.testing.CraftedFeed;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One device's feed followed through a real DHT on loopback (three nodes in this JVM), with a
 * fake sink and fake ingest events. The follower's own timers (retry back-off, head checks, the
 * ack interval) run on a virtual clock: a retry or a gap report happens when the test moves the
 * clock past its time, never earlier, and no test sleeps.
 */
class FeedFollowerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long TS = 1_764_000_000_000L;
    private static final Duration RETRY_INITIAL = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofMillis(400);
    private static final Duration ACK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration GAP_ALERT_AFTER = Duration.ofSeconds(1);
    /** The subscription's fallback poll runs on real time (it is the DHT's): short, so a lost notification costs little. */
    private static final IngestOptions OPTIONS =
            new IngestOptions(Duration.ofMillis(200), RETRY_INITIAL, RETRY_MAX, ACK_INTERVAL, GAP_ALERT_AFTER);

    private static final Identity GATEWAY = Identity.generate(DhtTestNetwork.RANDOM);

    private static DhtTestNetwork network;

    private final VirtualTimers timers = new VirtualTimers();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingEvents events = new RecordingEvents();
    private InFlightLimit limit = new InFlightLimit(4);
    private final CraftedFeed feed = new CraftedFeed(Identity.generate(DhtTestNetwork.RANDOM), GATEWAY.publicKey());
    private final List<FeedFollower> followers = new ArrayList<>();

    @BeforeAll
    static void startNetwork() throws Exception {
        network = new DhtTestNetwork(3);
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        network.close();
    }

    @AfterEach
    void stopFollowers() {
        followers.forEach(FeedFollower::stop);
    }

    /** The gateway's node: the follower subscribes through it. */
    private static DhtNode gatewayNode() {
        return network.nodes.get(0);
    }

    /** The node the device publishes through. */
    private static DhtNode deviceNode() {
        return network.nodes.get(1);
    }

    private ServedDevice served(long cursorSeq, String cursorToken) {
        return new ServedDevice(
                feed.id(),
                feed.identity.publicKey(),
                feed.td,
                cursorSeq,
                cursorToken == null ? null : FeedChain.hashOf(cursorToken));
    }

    private FeedFollower follow(ServedDevice device) {
        FeedFollower follower = new FeedFollower(
                gatewayNode(),
                network.vertx,
                timers,
                GATEWAY,
                device,
                new BatchOpener(GATEWAY, FeedEntries.standard()),
                sink,
                events,
                limit,
                OPTIONS,
                timers.clock());
        followers.add(follower);
        follower.start();
        return follower;
    }

    private FeedFollower follow() {
        return follow(served(0, null));
    }

    /** Seals and stores the feed's next entry; returns its token. */
    private String publishNext(double temperature) throws Exception {
        String token = feed.next(CraftedFeed.temperatures(TS, temperature));
        feed.publish(deviceNode(), token);
        return token;
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            seqs.add(n);
        }
        return seqs;
    }

    @Test
    void entriesAreDeliveredInOrderEachOnlyAfterThePreviousOneIsCommitted() throws Exception {
        sink.hold = true;
        for (int n = 1; n <= 3; n++) {
            publishNext(20 + n);
        }
        FeedFollower follower = follow();

        for (long n = 1; n <= 6; n++) {
            long expected = n;
            await().atMost(WAIT).until(() -> sink.attempts.size() == expected);
            assertThat(sink.attempts).containsExactlyElementsOf(seqs(1, n));
            if (n == 2) {
                // written while the sink holds entry 2: they wait in the DHT
                for (int i = 4; i <= 6; i++) {
                    publishNext(20 + i);
                }
            }
            sink.completeLast();
        }

        await().atMost(WAIT).until(() -> events.committed.size() == 6);
        assertThat(events.committed).containsExactlyElementsOf(seqs(1, 6));
        assertThat(sink.overlaps)
                .as("deliveries started while another one was pending")
                .hasValue(0);
        assertThat(follower.cursor()).isEqualTo(6);
        assertThat(events.duplicates).isEmpty();
    }

    @Test
    void aFailedDeliveryIsTriedAgainWithDoublingBackOffWhileTheFeedWaits() throws Exception {
        sink.failuresLeft.put(1L, 4);
        publishNext(20);
        publishNext(21);
        follow();

        await().atMost(WAIT).until(() -> timers.hasTimerIn(RETRY_INITIAL));
        assertThat(events.retries).hasSize(1);
        assertThat(sink.attempts).containsExactly(1L);
        assertThat(limit.inUse()).as("a batch being retried keeps its permit").isEqualTo(1);

        timers.advance(RETRY_INITIAL.minusMillis(1));
        assertThat(sink.attempts).as("before the first back-off ends").containsExactly(1L);
        timers.advance(Duration.ofMillis(1));
        assertThat(sink.attempts).containsExactly(1L, 1L);
        timers.advance(Duration.ofMillis(200));
        assertThat(sink.attempts).containsExactly(1L, 1L, 1L);
        timers.advance(Duration.ofMillis(400));
        assertThat(sink.attempts).containsExactly(1L, 1L, 1L, 1L);
        timers.advance(RETRY_MAX.minusMillis(1));
        assertThat(sink.attempts).as("the back-off stops doubling at retry-max").hasSize(4);
        timers.advance(Duration.ofMillis(1));

        // the fifth try goes through; only then does entry 2 come
        await().atMost(WAIT).until(() -> events.committed.size() == 2);
        assertThat(sink.attempts).containsExactly(1L, 1L, 1L, 1L, 1L, 2L);
        assertThat(events.retries).extracting(Retry::seq).containsOnly(1L);
        assertThat(events.retries)
                .extracting(Retry::retryIn)
                .containsExactly(
                        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(400));
        assertThat(events.committed).containsExactly(1L, 2L);
    }

    @Test
    void aGapIsReportedOnceAfterGapAlertAfterAndTheFeedWaitsForTheMissingEntry() throws Exception {
        publishNext(20);
        String second = feed.next(CraftedFeed.temperatures(TS, 21)); // sealed, not stored: lost on its way
        publishNext(22);
        FeedFollower follower = follow();
        await().atMost(WAIT).until(() -> events.committed.size() == 1);

        timers.advance(Duration.ofMillis(1)); // the first head check, soon after start
        await().atMost(WAIT).until(() -> events.heads.size() == 1);
        assertThat(events.heads).containsExactly(3L);
        assertThat(events.gaps).as("no gap before gap-alert-after").isEmpty();

        timers.advance(GAP_ALERT_AFTER.minusMillis(1));
        await().atMost(WAIT).until(() -> events.gaps.size() == 1);
        assertThat(events.gaps).containsExactly(new Gap(2, 2));

        // a check later: still stuck, but the same gap is not reported twice
        timers.advance(GAP_ALERT_AFTER);
        await().atMost(WAIT).until(() -> events.heads.size() == 3);
        assertThat(events.gaps).hasSize(1);
        assertThat(sink.attempts).as("nothing skipped").containsExactly(1L);

        // the device re-sends it: the feed goes on from there
        feed.publish(deviceNode(), second);
        await().atMost(WAIT).until(() -> events.committed.size() == 3);
        assertThat(sink.attempts).containsExactly(1L, 2L, 3L);
        assertThat(follower.cursor()).isEqualTo(3);
    }

    @Test
    void entriesTheCursorCoversAreNeitherRoutedNorRoutedAgainWhenReSent() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            tokens.add(publishNext(20 + n));
        }
        // a restart: the cursor is at 2
        FeedFollower follower = follow(served(2, tokens.get(1)));
        await().atMost(WAIT).until(() -> events.committed.size() == 2);
        assertThat(sink.attempts).containsExactly(3L, 4L);

        // the device re-sends what it holds (acks lost), then writes entry 5
        for (String token : tokens) {
            await(deviceNode()
                    .logWriter(FeedEntries.key(feed.identity.publicKey()))
                    .append(token));
        }
        publishNext(25);
        await().atMost(WAIT).until(() -> events.committed.size() == 3);
        assertThat(sink.attempts).containsExactly(3L, 4L, 5L);
        assertThat(follower.cursor()).isEqualTo(5);
    }

    @Test
    void aRefusedEntryIsQuarantinedUntilThatSucceedsAndTheFeedGoesOnPastIt() throws Exception {
        events.quarantineFailuresLeft.set(1);
        String refused =
                feed.nextFor(Identity.generate(DhtTestNetwork.RANDOM).publicKey(), CraftedFeed.temperatures(TS, 20));
        feed.publish(deviceNode(), refused);
        publishNext(21);
        FeedFollower follower = follow();

        await().atMost(WAIT).until(() -> timers.hasTimerIn(RETRY_INITIAL));
        assertThat(events.retries).containsExactly(new Retry(1, RETRY_INITIAL));
        assertThat(sink.attempts)
                .as("entry 2 waits until entry 1 is quarantined")
                .isEmpty();

        timers.advance(RETRY_INITIAL);
        await().atMost(WAIT).until(() -> events.committed.size() == 1);
        assertThat(events.quarantines)
                .containsExactly(
                        new Quarantine(1, "decrypt-failed", refused, 1),
                        new Quarantine(1, "decrypt-failed", refused, 1));
        assertThat(sink.attempts).containsExactly(2L);
        assertThat(follower.cursor()).isEqualTo(2);
    }

    @Test
    void aFollowerWithoutAPermitDoesNotTakeItsNextEntry() throws Exception {
        limit = new InFlightLimit(1);
        limit.acquire(); // another device's batch holds the only permit
        publishNext(20);
        follow();

        await().atMost(WAIT).until(() -> limit.waiting() == 1);
        assertThat(sink.attempts).isEmpty();

        limit.release();
        await().atMost(WAIT).until(() -> events.committed.size() == 1);
        await().atMost(WAIT).until(() -> limit.inUse() == 0); // freed just after the commit is reported
    }

    @Test
    void afterStopNoDeliveryIsTriedAgainAndThePermitIsFreed() throws Exception {
        sink.failuresLeft.put(1L, Integer.MAX_VALUE);
        publishNext(20);
        FeedFollower follower = follow();
        await().atMost(WAIT).until(() -> timers.hasTimerIn(RETRY_INITIAL));

        follower.stop();
        timers.advance(Duration.ofSeconds(10));

        assertThat(sink.attempts).containsExactly(1L);
        // the failed attempt ends the handler's future on the DHT's event loop, which frees the permit
        await().atMost(WAIT).until(() -> limit.inUse() == 0);
        assertThat(sink.attempts).containsExactly(1L);
        assertThat(events.committed).isEmpty();
    }

    @Test
    void aDeliveryRefusedBecauseAnotherReplicaServesTheDeviceStopsTheFollower() throws Exception {
        sink.failWith = new NoLongerServed("shard granted to another replica") {};
        publishNext(20);
        publishNext(21);
        FeedFollower follower = follow();
        await().atMost(WAIT).until(() -> limit.inUse() == 0 && !sink.attempts.isEmpty());

        timers.advance(Duration.ofSeconds(10));
        assertThat(sink.attempts).as("not tried again, and entry 2 not taken").containsExactly(1L);
        assertThat(events.retries).isEmpty();
        assertThat(events.committed).isEmpty();
        assertThat(follower.stopAndDrain().isComplete()).isTrue();
    }

    @Test
    void stopAndDrainEndsABackOffWaitAtOnce() throws Exception {
        sink.failuresLeft.put(1L, Integer.MAX_VALUE);
        publishNext(20);
        FeedFollower follower = follow();
        await().atMost(WAIT).until(() -> timers.hasTimerIn(RETRY_INITIAL));

        // a revoked shard's follower: its in-flight entry is given up without waiting out the back-off
        var drained = follower.stopAndDrain();
        await().atMost(WAIT).until(drained::isComplete);
        await().atMost(WAIT).until(() -> limit.inUse() == 0);
        timers.advance(Duration.ofSeconds(10));
        assertThat(sink.attempts).containsExactly(1L);
    }

    @Test
    void theCommittedEntryIsAcknowledgedInTheDeviceAckSlot() throws Exception {
        for (int n = 1; n <= 3; n++) {
            publishNext(20 + n);
        }
        follow();
        await().atMost(WAIT).until(() -> events.committed.size() == 3);

        // the first ack goes at once, the next after the ack interval: time passes while the DHT answers
        var ackKey = RecordKey.of(GATEWAY.publicKey(), "ack/" + feed.id());
        await().atMost(WAIT).until(() -> {
            timers.advance(ACK_INTERVAL);
            return await(deviceNode().get(ackKey)).map(VerifiedRecord::seq).orElse(0L) == 3;
        });
        VerifiedRecord ack = await(deviceNode().get(ackKey)).orElseThrow();
        assertThat(ack.publisher()).isEqualTo(GATEWAY.publicKey());
        assertThat(ack.payload().val().get("n").asLong()).isEqualTo(3);
    }

    /** A sink that records every delivery; fails some, or holds each until the test completes it. */
    private static final class RecordingSink implements BatchSink {
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        final Map<Long, Integer> failuresLeft = new ConcurrentHashMap<>();
        final AtomicInteger overlaps = new AtomicInteger();
        volatile boolean hold;
        volatile RuntimeException failWith;
        private Promise<Void> pending;

        @Override
        public synchronized Future<Void> deliver(VerifiedBatch batch) {
            if (pending != null && !pending.future().isComplete()) {
                overlaps.incrementAndGet();
            }
            attempts.add(batch.seq());
            if (failWith != null) {
                return Future.failedFuture(failWith);
            }
            int failures = failuresLeft.getOrDefault(batch.seq(), 0);
            if (failures > 0) {
                failuresLeft.put(batch.seq(), failures - 1);
                return Future.failedFuture(new IllegalStateException("sink down"));
            }
            if (!hold) {
                return Future.succeededFuture();
            }
            pending = Promise.promise();
            return pending.future();
        }

        void completeLast() {
            Promise<Void> last;
            synchronized (this) {
                last = pending;
            }
            last.complete();
        }
    }

    private record Retry(long seq, Duration retryIn) {}

    private record Gap(long from, long to) {}

    private record Quarantine(long seq, String reason, String token, long nextN) {}

    /** Records what the follower reports; a quarantine can be made to fail. */
    private static final class RecordingEvents implements IngestEvents {
        final List<Long> committed = new CopyOnWriteArrayList<>();
        final List<Long> duplicates = new CopyOnWriteArrayList<>();
        final List<Retry> retries = new CopyOnWriteArrayList<>();
        final List<Gap> gaps = new CopyOnWriteArrayList<>();
        final List<Long> heads = new CopyOnWriteArrayList<>();
        final List<Quarantine> quarantines = new CopyOnWriteArrayList<>();
        final AtomicInteger quarantineFailuresLeft = new AtomicInteger();

        @Override
        public Future<Void> quarantine(
                ServedDevice device, long seq, IngestRejection rejection, String token, FeedChain next) {
            quarantines.add(new Quarantine(seq, rejection.reason(), token, next.lastN()));
            if (quarantineFailuresLeft.getAndDecrement() > 0) {
                return Future.failedFuture(new IllegalStateException("database down"));
            }
            return Future.succeededFuture();
        }

        @Override
        public void committed(VerifiedBatch batch) {
            committed.add(batch.seq());
        }

        @Override
        public void duplicate(ServedDevice device, long seq) {
            duplicates.add(seq);
        }

        @Override
        public void deliveryFailed(ServedDevice device, long seq, Throwable cause, Duration retryIn) {
            retries.add(new Retry(seq, retryIn));
        }

        @Override
        public void gap(ServedDevice device, long from, long to) {
            gaps.add(new Gap(from, to));
        }

        @Override
        public void head(ServedDevice device, long head) {
            heads.add(head);
        }
    }
}
