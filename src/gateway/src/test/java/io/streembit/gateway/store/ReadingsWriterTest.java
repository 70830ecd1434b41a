package io.streembit.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.Things;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    private static EmbeddedPostgres postgres;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.startNew();
        dataSource = GatewaySchema.create(postgres);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void batchesStillInFlightAreWaitedForAndCommittedTogether() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(3);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, 1, Duration.ofSeconds(2), () -> 3, commits::add,
                CommitStep.NONE);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (VerifiedBatch batch : batches) {
                done.add(writer.write(batch));
                Thread.sleep(100); // each arrives while the group waits for the rest
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(3);
        assertThat(commits.get(0).readings()).isEqualTo(6);
        for (VerifiedBatch batch : batches) {
            assertThat(rows(batch.deviceId())).isEqualTo(2);
            assertThat(cursor(batch.deviceId())).isEqualTo(1);
        }
    }

    @Test
    void aBatchAloneInFlightIsCommittedWithoutWaiting() throws Exception {
        VerifiedBatch batch = registeredBatches(1).get(0);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, 1, Duration.ofMinutes(10), () -> 1, commits::add,
                CommitStep.NONE);
        try {
            // a ten-minute linger would time this out: the writer knows nothing else is coming
            writer.write(batch).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(1);
        assertThat(rows(batch.deviceId())).isEqualTo(2);
    }

    @Test
    void theLingerEndsAtItsLimitWhenTheRestDoesNotCome() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(2);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger(5); // three of them stuck elsewhere (another sink's retries)
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, 1, Duration.ofMillis(300), inFlight::get,
                commits::add, CommitStep.NONE);
        try {
            CompletableFuture<Void> first = writer.write(batches.get(0));
            CompletableFuture<Void> second = writer.write(batches.get(1));
            CompletableFuture.allOf(first, second).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).extracting(ReadingsWriter.Commit::batches).containsExactly(2);
        assertThat(rows(batches.get(0).deviceId()) + rows(batches.get(1).deviceId())).isEqualTo(4);
    }

    @Test
    void whileSeveralDevicesPublishTheGroupWaitsForTheNextOne() throws Exception {
        List<VerifiedBatch> batches = registeredBatches(4);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        // nothing else in flight: only the fleet's recent traffic says that more is coming
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, 1, Duration.ofSeconds(2), () -> 0, commits::add,
                CommitStep.NONE);
        try {
            // two devices publish (the first batch after a quiet spell may well go alone)...
            CompletableFuture.allOf(writer.write(batches.get(0)), writer.write(batches.get(1)))
                    .get(15, TimeUnit.SECONDS);
            // ...so the next batch waits for a third device's, which comes 300 ms later
            CompletableFuture<Void> third = writer.write(batches.get(2));
            Thread.sleep(300);
            CompletableFuture<Void> fourth = writer.write(batches.get(3));
            CompletableFuture.allOf(third, fourth).get(15, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits.get(commits.size() - 1).batches()).isEqualTo(2);
        assertThat(commits.stream().mapToInt(ReadingsWriter.Commit::batches).sum()).isEqualTo(4);
    }

    @Test
    void aSingleDeviceCatchingUpIsNeverHeld() throws Exception {
        Identity device = Identity.generate(RANDOM);
        var td = Things.forDevice("thermostat", device.account());
        GatewaySchema.register(dataSource, device, td.id());
        ServedDevice served = new ServedDevice(device.account(), device.publicKey(), td, 0, null);
        List<ReadingsWriter.Commit> commits = new CopyOnWriteArrayList<>();
        // a ten-minute linger would time this out: the same device's batches follow each other
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, 1, Duration.ofMinutes(10), () -> 1, commits::add,
                CommitStep.NONE);
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
        assertThat(rows(device.account())).isEqualTo(10);
        assertThat(cursor(device.account())).isEqualTo(5);
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

    private static long rows(String deviceId) throws Exception {
        return single("SELECT count(*) FROM readings WHERE device_id = ?", deviceId);
    }

    private static long cursor(String deviceId) throws Exception {
        return single("SELECT cursor_seq FROM devices WHERE id = ?", deviceId);
    }

    private static long single(String sql, String deviceId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
