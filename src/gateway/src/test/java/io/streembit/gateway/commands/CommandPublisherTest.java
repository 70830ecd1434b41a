package io.streembit.gateway.commands;

import io.streembit.dht.PutResult;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publication of queued commands into a fake DHT that answers when the test says, on a virtual
 * clock: strictly in queue order, one store at a time per device; a DHT that fails is tried
 * again with growing waits; a record it refuses is not tried again; a command whose timeout
 * passes while the DHT is away is stepped over.
 */
class CommandPublisherTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Identity GATEWAY = Identity.generate(TestDatabase.RANDOM);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(20);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);
    private static final CommandOptions OPTIONS = new CommandOptions(
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            8192,
            FIRST_WAIT,
            LONGEST_WAIT,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    private static DataSource dataSource;
    private static CommandStore store;
    private static Vertx vertx;

    private final VirtualTime time = new VirtualTime(NOW);
    private final FakeDht dht = new FakeDht();
    private final List<CommandPublisher.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final CommandPublisher publisher = new CommandPublisher(
            dht::log, Future.succeededFuture(), vertx, time, GATEWAY.publicKey(), store, OPTIONS, time, outcomes::add);

    /** A DHT whose every store waits for the test's answer. */
    static final class FakeDht {
        record Append(NodeId key, String token, int unanswered, Promise<PutResult> answer) {
            void stored() {
                answer.complete(new PutResult(3, Map.of(), List.of()));
            }

            void noNodeTookIt() {
                answer.complete(new PutResult(0, Map.of("timeout", 3), List.of()));
            }

            void unreachable() {
                answer.fail(new IOException("no route to the storing nodes"));
            }

            void refused() {
                answer.fail(new ProtocolException(ErrorCode.BAD_KEY, "entry belongs to another key"));
            }
        }

        private final BlockingQueue<Append> appends = new LinkedBlockingQueue<>();
        private final List<String> tokens = new CopyOnWriteArrayList<>();
        private final AtomicInteger unanswered = new AtomicInteger();

        CommandPublisher.QueueLog log(NodeId key) {
            return token -> {
                Promise<PutResult> answer = Promise.promise();
                tokens.add(token);
                appends.add(new Append(key, token, unanswered.getAndIncrement(), answer));
                return answer.future().onComplete(ar -> unanswered.decrementAndGet());
            };
        }

        /** The next store asked for, once it is. */
        Append next() throws InterruptedException {
            Append append = appends.poll(30, TimeUnit.SECONDS);
            assertThat(append).as("a store of a command").isNotNull();
            return append;
        }

        boolean idle() {
            return appends.isEmpty();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        dataSource = TestDatabase.create();
        store = new CommandStore(dataSource);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void commandsAreStoredInQueueOrderOneAtATime() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        List<StoredCommand> commands = List.of(queue(device, 300), queue(device, 300), queue(device, 300));
        commands.forEach(publisher::submit); // as the intake hands them on, while the first is being stored

        for (StoredCommand command : commands) {
            FakeDht.Append append = dht.next();
            assertThat(append.token()).isEqualTo(command.token());
            assertThat(append.key()).isEqualTo(Commands.key(GATEWAY.publicKey(), device.publicKey()));
            assertThat(append.unanswered())
                    .as("the one before was stored first")
                    .isZero();
            time.advance(Duration.ofMillis(250));
            append.stored();
            awaitStatus(command, CommandStatus.PUBLISHED);
        }
        assertThat(store.find(commands.get(1).id()).orElseThrow().publishedAt()).isEqualTo(NOW.plusMillis(500));

        // a later command is the next store: none of the first three went twice
        StoredCommand fourth = queue(device, 300);
        publisher.submit(fourth);
        assertThat(dht.next().token()).isEqualTo(fourth.token());
        assertThat(dht.tokens)
                .containsExactly(
                        commands.get(0).token(),
                        commands.get(1).token(),
                        commands.get(2).token(),
                        fourth.token());
        assertThat(outcomes)
                .containsExactly(
                        CommandPublisher.Outcome.PUBLISHED,
                        CommandPublisher.Outcome.PUBLISHED,
                        CommandPublisher.Outcome.PUBLISHED);
    }

    @Test
    void aFailedStoreIsTriedAgainWithGrowingWaitsAndTheQueueWaitsForIt() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        StoredCommand first = queue(device, 3600);
        StoredCommand second = queue(device, 3600);
        publisher.submit(first);

        dht.next().unreachable();
        afterWait(FIRST_WAIT);
        dht.next().noNodeTookIt();
        afterWait(Duration.ofSeconds(40));
        dht.next().unreachable();
        afterWait(LONGEST_WAIT);
        dht.next().unreachable();
        assertThat(store.find(first.id()).orElseThrow().status())
                .as("still waiting in the table")
                .isEqualTo(CommandStatus.QUEUED);
        afterWait(LONGEST_WAIT);
        FakeDht.Append fifth = dht.next();
        assertThat(fifth.token()).isEqualTo(first.token());
        fifth.stored();

        awaitStatus(first, CommandStatus.PUBLISHED);
        FakeDht.Append next = dht.next();
        assertThat(next.token()).as("the next in the queue only after").isEqualTo(second.token());
        next.stored();
        awaitStatus(second, CommandStatus.PUBLISHED);
        assertThat(time.waits()).containsExactly(FIRST_WAIT, Duration.ofSeconds(40), LONGEST_WAIT, LONGEST_WAIT);
        assertThat(outcomes)
                .containsExactly(
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.PUBLISHED,
                        CommandPublisher.Outcome.PUBLISHED);
    }

    @Test
    void aRecordTheDhtRefusesIsNotTriedAgain() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        StoredCommand refused = queue(device, 300);
        StoredCommand second = queue(device, 300);
        publisher.submit(refused);

        dht.next().refused();
        FakeDht.Append next = dht.next();
        assertThat(next.token()).isEqualTo(second.token());
        next.stored();
        awaitStatus(second, CommandStatus.PUBLISHED);

        // looked at again (another command queued): the refused one is stepped over, not stored again
        StoredCommand third = queue(device, 300);
        publisher.submit(third);
        assertThat(dht.next().token()).isEqualTo(third.token());
        assertThat(time.waits()).as("no wait for a retry").isEmpty();
        assertThat(dht.tokens).containsExactly(refused.token(), second.token(), third.token());
        assertThat(store.find(refused.id()).orElseThrow().status())
                .as("left for the expiry sweep")
                .isEqualTo(CommandStatus.QUEUED);
    }

    @Test
    void aCommandWhoseTimeoutPassesWhileTheDhtIsAwayIsSteppedOver() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        StoredCommand shortLived = queue(device, 60);
        StoredCommand longLived = queue(device, 3600);
        publisher.submit(shortLived);

        dht.next().unreachable();
        afterWait(FIRST_WAIT);
        dht.next().unreachable();
        // the next try would be at 60 s, when the command expires: the device would step over it
        afterWait(Duration.ofSeconds(40));
        FakeDht.Append next = dht.next();
        assertThat(next.token()).isEqualTo(longLived.token());
        next.stored();

        awaitStatus(longLived, CommandStatus.PUBLISHED);
        assertThat(dht.tokens).containsExactly(shortLived.token(), shortLived.token(), longLived.token());
        assertThat(outcomes)
                .containsExactly(
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.RETRYING,
                        CommandPublisher.Outcome.EXPIRED_UNPUBLISHED,
                        CommandPublisher.Outcome.PUBLISHED);
        assertThat(store.find(shortLived.id()).orElseThrow().publishedAt()).isNull();
    }

    /** The publisher waits {@code wait} before its next try, and tries nothing before the wait is over. */
    private void afterWait(Duration wait) {
        await().until(() -> time.pending() == 1);
        assertThat(time.waits()).last().isEqualTo(wait);
        time.advance(wait.minusMillis(1));
        assertThat(dht.idle()).as("nothing tried before the wait is over").isTrue();
        time.advance(Duration.ofMillis(1));
    }

    private StoredCommand queue(Identity device, int timeoutSeconds) throws Exception {
        CommandRequest request = new CommandRequest(device.account(), "reboot", null, timeoutSeconds, null, null);
        return TestCommands.create(
                store, GATEWAY, device.publicKey(), request, "api-key:portal", "rest", time.instant());
    }

    private static void awaitStatus(StoredCommand command, CommandStatus status) {
        await().until(() -> store.find(command.id()).orElseThrow().status(), s -> s == status);
    }
}
