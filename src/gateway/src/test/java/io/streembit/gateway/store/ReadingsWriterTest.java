package io.streembit.gateway.store;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.Things;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The readings writer's group commit against a real PostgreSQL: how long it lingers for batches
 * likely to come, and that it never holds a batch for ones that cannot come.
 */
class ReadingsWriterTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final Instant NOW = Instant.parse("2025-11-24T16:00:00Z");
    private static final List<Reading> READINGS = List.of(
            new Reading("temperature", 1_764_000_000_000L, DoubleNode.valueOf(21.5)),
            new Reading("temperature", 1_764_000_000_500L, DoubleNode.valueOf(21.75)));

    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
    }

    @Test
    void batchesStillInFlightAreWaitedForAndCommittedTogether() throws Exception {
        // one device's entries: the several-devices rule stays out of it, only the in-flight count says wait
        List<VerifiedBatch> batches = oneDevicesFeed(3);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        ManualWriterClock clock = new ManualWriterClock();
        ReadingsWriter writer = writer(Duration.ofSeconds(2), () -> 3, commits, clock);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            done.add(writer.write(batches.get(0)));
            // the first waits for the two others still in flight, however long they take: the clock stands still
            await().until(clock::lingering);
            for (VerifiedBatch batch : batches.subList(1, 3)) {
                done.add(writer.write(batch));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(3);
        assertThat(commits.get(0).readings()).isEqualTo(6);
        assertThat(GatewaySchema.readings(dataSource, batches.get(0).deviceId()))
                .isEqualTo(6);
        assertThat(GatewaySchema.cursor(dataSource, batches.get(0).deviceId())).isEqualTo(3);
    }

    @Test
    void aBatchAloneInFlightIsCommittedWithoutWaiting() throws Exception {
        VerifiedBatch batch = registeredBatches(1).get(0);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        // the clock never moves: a linger would never end
        ReadingsWriter writer = writer(Duration.ofMinutes(10), () -> 1, commits, new ManualWriterClock());
        try {
            // the writer knows nothing else is coming
            writer.write(batch).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(1);
        assertThat(GatewaySchema.readings(dataSource, batch.deviceId())).isEqualTo(2);
    }

    @Test
    void theLingerEndsAtItsLimitWhenTheRestDoesNotCome() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(2);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger(5); // three of them stuck elsewhere (another sink's retries)
        ManualWriterClock clock = new ManualWriterClock();
        ReadingsWriter writer = writer(Duration.ofMillis(300), inFlight::get, commits, clock);
        try {
            CompletableFuture<Void> first = writer.write(batches.get(0));
            CompletableFuture<Void> second = writer.write(batches.get(1));
            await().until(clock::lingering);
            clock.advance(Duration.ofMillis(299));
            assertThat(first).isNotDone();
            clock.advance(Duration.ofMillis(1));
            CompletableFuture.allOf(first, second).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(2);
        assertThat(GatewaySchema.readings(dataSource, batches.get(0).deviceId())
                        + GatewaySchema.readings(dataSource, batches.get(1).deviceId()))
                .isEqualTo(4);
    }

    @Test
    void whileSeveralDevicesPublishTheGroupWaitsForTheNextOne() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(4);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        // nothing else in flight: only the fleet's recent traffic says that more is coming
        ManualWriterClock clock = new ManualWriterClock();
        ReadingsWriter writer = writer(Duration.ofSeconds(2), () -> 0, commits, clock);
        try {
            // two devices publish (the first batch after a quiet spell may well go alone; the
            // second lingers until the linger ends)...
            CompletableFuture<Void> twoDevices =
                    CompletableFuture.allOf(writer.write(batches.get(0)), writer.write(batches.get(1)));
            await().until(clock::lingering);
            clock.advance(Duration.ofSeconds(2));
            twoDevices.get(15, TimeUnit.SECONDS);
            // ...so the next batch waits for a third device's, which comes 300 ms later
            CompletableFuture<Void> third = writer.write(batches.get(2));
            await().until(clock::lingering);
            clock.advance(Duration.ofMillis(300));
            assertThat(third).isNotDone();
            CompletableFuture<Void> fourth = writer.write(batches.get(3));
            clock.advance(Duration.ofMillis(1_700)); // the linger's end: the group holds both
            CompletableFuture.allOf(third, fourth).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits.get(commits.size() - 1).batches()).isEqualTo(2);
        assertThat(commits.stream().mapToInt(ReadingsWriter.Commit::batches).sum())
                .isEqualTo(4);
    }

    @Test
    void aSingleDeviceCatchingUpIsNeverHeld() throws Exception {
        Identity device = Identity.generate(RANDOM);
        var td = Things.forDevice("thermostat", device.account());
        GatewaySchema.register(dataSource, device, td.id());
        ServedDevice served = new ServedDevice(device.account(), device.publicKey(), td, 0, null);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        // the clock never moves, so a linger would never end: the same device's batches follow each other
        ReadingsWriter writer = writer(Duration.ofMinutes(10), () -> 1, commits, new ManualWriterClock());
        FeedChain chain = FeedChain.genesis();
        try {
            for (int n = 1; n <= 5; n++) {
                BatchOpener.Opened opened = TestBatches.open(served, device, GATEWAY, chain, READINGS, NOW);
                writer.write(opened.batch()).get(15, TimeUnit.SECONDS); // the follower's order: one at a time
                chain = opened.next();
            }
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(1, 1, 1, 1, 1);
        assertThat(GatewaySchema.readings(dataSource, device.account())).isEqualTo(10);
        assertThat(GatewaySchema.cursor(dataSource, device.account())).isEqualTo(5);
    }

    @Test
    void closingRacingWritesLeavesNoFuturePendingAndNothingHalfWritten() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(40);
        ManualWriterClock clock = new ManualWriterClock();
        // more said to be in flight: the first group lingers with the writer while close() comes
        ReadingsWriter writer = writer(Duration.ofMinutes(10), () -> 1_000, new CopyOnWriteArrayList<>(), clock);
        List<CompletableFuture<Void>> done = new CopyOnWriteArrayList<>();
        Thread racer = new Thread(() -> batches.forEach(b -> done.add(writer.write(b))));
        racer.start();
        await().until(clock::lingering);
        Thread closer = new Thread(() -> {
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        clock.advance(Duration.ofMinutes(10));
        closer.join(15_000);
        racer.join(15_000);
        done.add(writer.write(batches.get(0)));

        assertThat(done).hasSize(41);
        // every future completed: committed, or failed because the writer closed; none waits forever
        CompletableFuture.allOf(done.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .get(15, TimeUnit.SECONDS);
        assertThat(done.get(40)).isCompletedExceptionally();
        long committed = 0;
        for (int i = 0; i < 40; i++) {
            CompletableFuture<Void> f = done.get(i);
            if (!f.isCompletedExceptionally()) {
                committed++;
            } else {
                assertThat(f)
                        .failsWithin(Duration.ZERO)
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(ReadingsWriter.WriterClosed.class);
            }
        }
        assertThat(committed).isPositive(); // the lingering group was committed when the linger ended
        long rows = 0;
        for (VerifiedBatch batch : batches) {
            rows += GatewaySchema.readings(dataSource, batch.deviceId());
        }
        assertThat(rows).isEqualTo(committed * READINGS.size());
    }

    private static ReadingsWriter writer(
            Duration linger,
            java.util.function.IntSupplier inFlight,
            List<ReadingsWriter.Commit> commits,
            WriterClock clock) {
        return new ReadingsWriter(
                dataSource,
                new DeviceCursors(dataSource),
                new ReadingsWriter.Settings(16, 1, linger),
                inFlight,
                commits::add,
                CommitStep.NONE,
                clock);
    }

    /** Entries 1 to {@code n} of a new device's feed, the device registered (active, cursor 0). */
    private static List<VerifiedBatch> oneDevicesFeed(int n) throws Exception {
        Identity device = Identity.generate(RANDOM);
        var td = Things.forDevice("thermostat", device.account());
        GatewaySchema.register(dataSource, device, td.id());
        ServedDevice served = new ServedDevice(device.account(), device.publicKey(), td, 0, null);
        List<VerifiedBatch> batches = new ArrayList<>();
        FeedChain chain = FeedChain.genesis();
        for (int i = 0; i < n; i++) {
            BatchOpener.Opened opened = TestBatches.open(served, device, GATEWAY, chain, READINGS, NOW);
            batches.add(opened.batch());
            chain = opened.next();
        }
        return batches;
    }

    /** Entry 1 of {@code n} new devices' feeds, each device registered (active, cursor 0). */
    private static List<VerifiedBatch> registeredBatches(int n) throws Exception {
        List<VerifiedBatch> batches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Identity device = Identity.generate(RANDOM);
            var td = Things.forDevice("thermostat", device.account());
            GatewaySchema.register(dataSource, device, td.id());
            batches.add(TestBatches.batch(device, GATEWAY, td, READINGS, NOW));
        }
        return batches;
    }
}
