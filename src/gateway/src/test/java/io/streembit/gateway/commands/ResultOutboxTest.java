package io.streembit.gateway.commands;

import io.streembit.protocol.identity.Identity;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The results outbox on a virtual clock, against the commands table in a real PostgreSQL: a pass
 * sends each waiting result once, a result counts as dispatched only once its route completed, a
 * failed one goes again after the retry wait and not before, no more than 64 are in flight, a
 * wake is one pass however often it is asked for, and a shutdown lets the dispatches in flight
 * finish but starts nothing new.
 */
class ResultOutboxTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    /** On the virtual clock; also the longest a pass waits (really) for room among the dispatches in flight. */
    private static final Duration RETRY = Duration.ofMinutes(10);

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static DataSource dataSource;
    private static CommandStore store;

    private final VirtualTime clock = new VirtualTime(NOW);
    private final List<Runnable> passesAsked = new CopyOnWriteArrayList<>();
    private final RouteStub route = new RouteStub();
    private final ResultOutbox outbox = new ResultOutbox(store, RETRY, clock, passesAsked::add);
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private Identity device;

    /** The results route: each send waits for the test to complete it, unless told to answer at once. */
    static final class RouteStub implements ResultOutbox.Dispatch {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<String>> open = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        volatile String answerAtOnce;
        volatile Runnable onSend = () -> {};

        @Override
        public CompletionStage<String> send(StoredCommand command) {
            sent.add(command.id());
            onSend.run();
            CompletableFuture<String> done = new CompletableFuture<>();
            if (answerAtOnce != null) {
                done.complete(answerAtOnce);
                return done;
            }
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            open.put(command.id(), done);
            return done;
        }

        /** The route completed: delivered, or dead-lettered as {@code detail} says. */
        void complete(String id, String detail) {
            CompletableFuture<String> done = open.remove(id);
            inFlight.decrementAndGet();
            done.complete(detail);
        }

        void fail(String id) {
            CompletableFuture<String> done = open.remove(id);
            inFlight.decrementAndGet();
            done.completeExceptionally(new IllegalStateException("results topic unreachable"));
        }

        long times(String id) {
            return sent.stream().filter(id::equals).count();
        }
    }

    @BeforeAll
    static void createTables() throws SQLException {
        dataSource = TestDatabase.create();
        store = new CommandStore(dataSource);
    }

    @BeforeEach
    void attach() throws SQLException {
        TestDatabase.empty(dataSource);
        device = TestDatabase.device(dataSource);
        outbox.attach(route);
        assertThat(passesAsked).as("attaching asks for a pass").hasSize(1);
        passesAsked.remove(0).run(); // nothing waiting yet; from here the tests run their passes themselves
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    @Test
    void aPassSendsEachWaitingResultOnceAndMarksItDispatchedWhenItsRouteCompleted() throws Exception {
        StoredCommand open = queue();
        StoredCommand second = finished(NOW.plusSeconds(2));
        StoredCommand first = finished(NOW.plusSeconds(1));

        outbox.sendWaiting();
        assertThat(route.sent).containsExactly(first.id(), second.id());
        assertThat(store.find(first.id()).orElseThrow().dispatchedAt())
                .as("not before the route completed")
                .isNull();

        outbox.sendWaiting();
        assertThat(route.sent).as("in flight: not sent twice").hasSize(2);

        clock.advance(Duration.ofMillis(700));
        route.complete(first.id(), "sent");
        route.complete(second.id(), "dead-lettered: 503");
        assertThat(store.find(first.id()).orElseThrow().dispatchedAt()).isEqualTo(NOW.plusMillis(700));
        assertThat(store.events(second.id())).last().satisfies(e -> {
            assertThat(e.status()).isEqualTo(CommandEvent.DISPATCHED);
            assertThat(e.detail()).isEqualTo("dead-lettered: 503");
        });
        assertThat(store.undispatched(10)).isEmpty();

        outbox.sendWaiting();
        assertThat(route.sent).containsExactly(first.id(), second.id());
        assertThat(store.find(open.id()).orElseThrow().dispatchedAt()).isNull();
    }

    @Test
    void inAClusterOnlyTheDevicesOwnerSendsItsResults() throws Exception {
        StoredCommand mine = finished(NOW);
        Identity other = TestDatabase.device(dataSource);
        Identity ownDevice = device;
        device = other;
        StoredCommand theirs = finished(NOW.plusSeconds(1));
        device = ownDevice;
        ResultOutbox owner = new ResultOutbox(
                store, RETRY, clock, passesAsked::add, deviceId -> deviceId.equals(ownDevice.account()));
        owner.attach(route);
        passesAsked.clear();
        owner.sendWaiting();
        assertThat(route.sent).containsExactly(mine.id()); // the other device's owner sends theirs
        assertThat(store.undispatched(10)).extracting(StoredCommand::id).contains(theirs.id());
    }

    @Test
    void aFailedDispatchGoesAgainAfterTheRetryWaitAndNotBefore() throws Exception {
        StoredCommand command = finished(NOW);
        outbox.sendWaiting();
        route.fail(command.id());

        clock.advance(RETRY.minusMillis(1));
        outbox.sendWaiting();
        assertThat(route.times(command.id())).isEqualTo(1);
        assertThat(store.undispatched(10)).extracting(StoredCommand::id).containsExactly(command.id());

        clock.advance(Duration.ofMillis(1));
        outbox.sendWaiting();
        assertThat(route.times(command.id())).isEqualTo(2);
        route.complete(command.id(), "sent");
        assertThat(store.find(command.id()).orElseThrow().dispatchedAt()).isEqualTo(NOW.plus(RETRY));
    }

    @Test
    void aRouteThatThrowsIsAFailedDispatch() throws Exception {
        StoredCommand command = finished(NOW);
        route.onSend = () -> {
            throw new IllegalStateException("route stopped");
        };
        outbox.sendWaiting();
        route.onSend = () -> {};

        clock.advance(RETRY);
        outbox.sendWaiting();
        route.complete(command.id(), "sent");
        assertThat(route.times(command.id())).isEqualTo(2);
        assertThat(store.undispatched(10)).isEmpty();
    }

    @Test
    void noMoreThan64DispatchesAreInFlight() throws Exception {
        List<String> waiting = finished(100);

        Future<?> pass = background.submit(outbox::sendWaiting);
        eventually().until(() -> route.sent.size() >= 64);
        for (String id : waiting) {
            eventually().until(() -> route.open.containsKey(id));
            route.complete(id, "sent");
        }
        pass.get(30, TimeUnit.SECONDS);

        assertThat(route.sent).hasSize(100).doesNotHaveDuplicates();
        assertThat(route.mostInFlight).hasValue(64);
        assertThat(store.undispatched(10)).isEmpty();
    }

    @Test
    void wakesBeforeAPassStartsAreOnePass() throws Exception {
        StoredCommand first = finished(NOW);
        outbox.wake();
        outbox.wake();
        outbox.wake();
        assertThat(passesAsked).hasSize(1);

        passesAsked.get(0).run();
        assertThat(route.sent).containsExactly(first.id());
        outbox.wake();
        assertThat(passesAsked)
                .as("a wake after the pass started asks for another")
                .hasSize(2);
    }

    @Test
    void aPassAskedForDuringAPassMakesThatPassLookAgain() throws Exception {
        StoredCommand first = finished(NOW);
        StoredCommand closedMeanwhile = queue();
        route.answerAtOnce = "sent";
        route.onSend = () -> {
            route.onSend = () -> {};
            try {
                TestDatabase.succeed(dataSource, store, closedMeanwhile, NOW.plusSeconds(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            outbox.sendWaiting(); // the periodic pass, due while this one is under way
        };

        outbox.sendWaiting();

        assertThat(route.sent).containsExactly(first.id(), closedMeanwhile.id());
        assertThat(store.undispatched(10)).isEmpty();
    }

    @Test
    void aShutdownLetsTheDispatchesInFlightFinishAndStartsNothingNew() throws Exception {
        StoredCommand inFlight = finished(NOW);
        outbox.sendWaiting();

        assertThat(outbox.close(Duration.ZERO))
                .as("a dispatch is still in flight")
                .isFalse();
        route.complete(inFlight.id(), "sent");
        assertThat(outbox.close(Duration.ofSeconds(5))).isTrue();
        assertThat(store.find(inFlight.id()).orElseThrow().dispatchedAt())
                .as("its outcome recorded")
                .isNotNull();

        StoredCommand later = finished(NOW.plusSeconds(1));
        outbox.wake();
        outbox.sendWaiting();
        assertThat(passesAsked).isEmpty();
        assertThat(route.sent).containsExactly(inFlight.id());
        assertThat(store.undispatched(10))
                .extracting(StoredCommand::id)
                .as("left for the next start")
                .containsExactly(later.id());
    }

    @Test
    void aShutdownEndsAPassWaitingForRoomInFlight() throws Exception {
        finished(65);
        Future<?> pass = background.submit(outbox::sendWaiting);
        eventually().until(() -> route.sent.size() >= 64);

        // the pass would wait for room up to RETRY (10 minutes): the shutdown ends the wait
        assertThat(outbox.close(Duration.ZERO)).isFalse();
        pass.get(EVENTUALLY.toSeconds(), TimeUnit.SECONDS);
        assertThat(route.sent).as("the 65th not started").hasSize(64);

        List.copyOf(route.open.keySet()).forEach(id -> route.complete(id, "sent"));
        assertThat(outbox.close(Duration.ofSeconds(5))).isTrue();
        assertThat(store.undispatched(100)).hasSize(1);
    }

    /** A command (the outbox never looks at its sealed record: a stand-in is enough). */
    private StoredCommand queue() throws Exception {
        String id = UUID.randomUUID().toString();
        return store.create(
                        new CommandStore.NewCommand(
                                id,
                                device.account(),
                                "api-key:portal",
                                "rest",
                                null,
                                "reboot",
                                null,
                                CommandIntake.payloadHash(device.account(), "reboot", null),
                                null,
                                NOW,
                                NOW.plusSeconds(300)),
                        seq -> "sealed " + id)
                .command();
    }

    /** A command closed by its device's result at {@code at}. */
    private StoredCommand finished(Instant at) throws Exception {
        StoredCommand command = queue();
        TestDatabase.succeed(dataSource, store, command, at);
        return command;
    }

    /** {@code n} commands closed by their devices' results, oldest first; their ids. */
    private List<String> finished(int n) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                INSERT INTO commands (id, device_id, caller, source, action, payload_hash, status, seq, token,
                                      created_at, expires_at, finished_at)
                SELECT gen_random_uuid()::text, ?, 'api-key:portal', 'rest', 'reboot', 'hash', 'SUCCEEDED', i,
                       'sealed', ?, ?, ?::timestamptz + i * interval '1 millisecond'
                FROM generate_series(1, ?) AS i ORDER BY i RETURNING id""")) {
            ps.setString(1, device.account());
            ps.setTimestamp(2, Timestamp.from(NOW));
            ps.setTimestamp(3, Timestamp.from(NOW.plusSeconds(300)));
            ps.setTimestamp(4, Timestamp.from(NOW));
            ps.setInt(5, n);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Awaitility polling often: these waits are for another thread's next step, not for a timer. */
    private static ConditionFactory eventually() {
        return await().atMost(EVENTUALLY).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }
}
