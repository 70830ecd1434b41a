package io.streembit.gateway.commands;

import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry sweep on a virtual clock, against the commands table in a real PostgreSQL: a pass
 * expires exactly the commands due at the clock's time and reports them; passes do not overlap;
 * a shutdown waits for the pass under way and starts none after it.
 */
class CommandExpiryTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Identity GATEWAY = Identity.generate(TestDatabase.RANDOM);

    private static DataSource dataSource;
    private static CommandStore store;

    private final VirtualTime clock = new VirtualTime(NOW);
    private final List<List<String>> reported = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private Identity device;

    @BeforeAll
    static void createTables() throws SQLException {
        dataSource = TestDatabase.create();
        store = new CommandStore(dataSource);
    }

    @BeforeEach
    void aDevice() throws SQLException {
        TestDatabase.empty(dataSource);
        device = TestDatabase.device(dataSource);
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    @Test
    void aPassExpiresExactlyTheCommandsDueAtTheClocksTimeAndReportsThem() throws Exception {
        CommandExpiry expiry = new CommandExpiry(store, clock, reported::add);
        StoredCommand queued = queue(60);
        StoredCommand published = queue(60);
        store.markPublished(published.id(), NOW.plusSeconds(1));
        StoredCommand later = queue(120);
        StoredCommand answered = queue(30);
        TestDatabase.succeed(dataSource, store, answered, NOW.plusSeconds(5));

        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(expiry.sweep()).isEmpty();
        assertThat(reported).as("nothing to report").isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(expiry.sweep()).containsExactlyInAnyOrder(queued.id(), published.id());
        assertThat(reported)
                .singleElement()
                .satisfies(ids -> assertThat(ids).containsExactlyInAnyOrder(queued.id(), published.id()));
        StoredCommand expired = store.find(published.id()).orElseThrow();
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.finishedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(store.find(later.id()).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(store.find(answered.id()).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);

        clock.advance(Duration.ofSeconds(30));
        assertThat(expiry.sweep()).as("each command expires once").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(expiry.sweep()).containsExactly(later.id());
        assertThat(reported).hasSize(2);
    }

    @Test
    void aPassDoesNotOverlapAnotherAndAShutdownWaitsForItThenStartsNone() throws Exception {
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CommandExpiry expiry = new CommandExpiry(store, clock, ids -> {
            reported.add(ids);
            reporting.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StoredCommand first = queue(60);
        clock.advance(Duration.ofSeconds(60));

        Future<List<String>> underWay = background.submit(expiry::sweep);
        assertThat(reporting.await(30, TimeUnit.SECONDS)).isTrue();
        StoredCommand second = queue(0);
        assertThat(expiry.sweep()).as("a pass under way covers this one").isEmpty();

        assertThat(expiry.close(Duration.ZERO)).as("a pass is under way").isFalse();
        release.countDown();
        assertThat(underWay.get(30, TimeUnit.SECONDS)).containsExactly(first.id());
        assertThat(expiry.close(Duration.ofSeconds(5))).isTrue();

        assertThat(expiry.sweep()).as("closed").isEmpty();
        assertThat(store.find(second.id()).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(reported).hasSize(1);
    }

    @Test
    void aPassThatCannotReachPostgresqlReportsNothingAndTheNextOneTriesAgain() throws Exception {
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setUrl("jdbc:postgresql://127.0.0.1:9/postgres");
        unreachable.setConnectTimeout(5);
        CommandExpiry down = new CommandExpiry(new CommandStore(unreachable), clock, reported::add);
        StoredCommand command = queue(60);
        clock.advance(Duration.ofMinutes(2));

        assertThat(down.sweep()).isEmpty();
        assertThat(reported).isEmpty();

        assertThat(new CommandExpiry(store, clock, reported::add).sweep()).containsExactly(command.id());
        assertThat(reported).hasSize(1);
    }

    private StoredCommand queue(int timeoutSeconds) throws Exception {
        CommandRequest request = new CommandRequest(device.account(), "reboot", null, timeoutSeconds, null, null);
        return TestCommands.create(
                store, GATEWAY, device.publicKey(), request, "api-key:portal", "rest", clock.instant());
    }
}
