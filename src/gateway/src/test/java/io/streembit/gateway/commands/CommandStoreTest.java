package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.protocol.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The commands' lifecycle as PostgreSQL keeps it: queue positions, idempotent intake, and each
 * state change happening once, whichever of publication, result, expiry and dispatch comes first.
 */
class CommandStoreTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final String PORTAL = "api-key:portal";

    private static DataSource dataSource;
    private static CommandStore store;

    private final List<Long> sealedAt = new ArrayList<>();

    @BeforeAll
    static void createTables() throws SQLException {
        dataSource = TestDatabase.create();
        store = new CommandStore(dataSource);
    }

    @BeforeEach
    void noCommands() throws SQLException {
        TestDatabase.empty(dataSource);
    }

    @Test
    void eachDeviceHasItsOwnQueueAndThePositionIsTheOneSealed() throws Exception {
        String a = TestDatabase.device(dataSource).account();
        String b = TestDatabase.device(dataSource).account();

        List<StoredCommand> created = new ArrayList<>();
        for (String device : List.of(a, b, a, a, b)) {
            CommandStore.Intake intake = store.create(command(device, PORTAL, null, 21.5, NOW, 60), this::seal);
            assertThat(intake.created()).isTrue();
            created.add(intake.command());
        }

        assertThat(created).extracting(StoredCommand::seq).containsExactly(1L, 1L, 2L, 3L, 2L);
        assertThat(created).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(CommandStatus.QUEUED);
            assertThat(c.token()).as("sealed at the position it is stored at").isEqualTo("sealed at " + c.seq());
        });
        assertThat(TestDatabase.count(dataSource, "SELECT command_seq FROM devices WHERE id = '" + a + "'"))
                .isEqualTo(3);
        assertThat(store.events(created.get(0).id())).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("QUEUED");
            assertThat(e.detail()).isEqualTo("from rest by " + PORTAL);
            assertThat(e.at()).isEqualTo(NOW);
        });
    }

    @Test
    void aCorrelationIdNamesOneCommandOfItsCaller() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        StoredCommand first = store.create(command(device, PORTAL, "portal-7", 21.5, NOW, 60), this::seal)
                .command();

        // sent again after a lost answer, with a recomputed timeout: the same command, no new position
        CommandStore.Intake again =
                store.create(command(device, PORTAL, "portal-7", 21.5, NOW.plusSeconds(5), 55), this::seal);
        assertThat(again.created()).isFalse();
        assertThat(again.command().id()).isEqualTo(first.id());
        assertThat(sealedAt).containsExactly(1L);

        // the same id for another command is refused, and nothing is stored
        assertThatThrownBy(() -> store.create(command(device, PORTAL, "portal-7", 22.0, NOW, 60), this::seal))
                .isInstanceOfSatisfying(
                        CommandRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefused.Reason.CORRELATION_REUSED));
        assertThat(commandsOf(device)).isEqualTo(1);

        // another caller's id is its own
        CommandStore.Intake other = store.create(command(device, "api-key:erp", "portal-7", 21.5, NOW, 60), this::seal);
        assertThat(other.created()).isTrue();
        assertThat(other.command().seq()).isEqualTo(2);
    }

    @Test
    void aRevokedDeviceGetsNoQueuePosition() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        TestDatabase.revoke(dataSource, device);

        assertThatThrownBy(() -> store.create(command(device, PORTAL, null, 21.5, NOW, 60), this::seal))
                .isInstanceOfSatisfying(
                        CommandRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRefused.Reason.DEVICE_REVOKED));
        assertThat(commandsOf(device)).isZero();
        assertThat(sealedAt).isEmpty();
        assertThat(TestDatabase.count(dataSource, "SELECT command_seq FROM devices WHERE id = '" + device + "'"))
                .isZero();
    }

    @Test
    void publicationIsRecordedOnceAndNeverMovesAFinishedCommandBack() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        StoredCommand published = queue(device, 60);
        StoredCommand overtaken = queue(device, 60);

        assertThat(store.markPublished(published.id(), NOW.plusMillis(300))).isTrue();
        assertThat(store.markPublished(published.id(), NOW.plusMillis(900))).isFalse();
        StoredCommand row = store.find(published.id()).orElseThrow();
        assertThat(row.status()).isEqualTo(CommandStatus.PUBLISHED);
        assertThat(row.publishedAt()).isEqualTo(NOW.plusMillis(300));
        assertThat(statuses(published)).containsExactly("QUEUED", "PUBLISHED");

        // the device answered before the last storing node did: the result stands
        close(result(overtaken, CommandStatus.SUCCEEDED, 1, NOW.plusSeconds(1)));
        assertThat(store.markPublished(overtaken.id(), NOW.plusSeconds(2))).isTrue();
        StoredCommand done = store.find(overtaken.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(done.publishedAt()).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void aResultClosesAnOpenCommandOnceAndOnlyWhenItsTransactionCommits() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        String stranger = TestDatabase.device(dataSource).account();
        StoredCommand command = queue(device, 60);
        store.markPublished(command.id(), NOW);

        // rolled back with the readings: not applied
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(store.applyResults(c, List.of(result(command, CommandStatus.SUCCEEDED, 4, NOW.plusSeconds(1)))))
                    .containsExactly(command.id());
            c.rollback();
        }
        assertThat(store.find(command.id()).orElseThrow().status()).isEqualTo(CommandStatus.PUBLISHED);

        assertThat(close(result(command, CommandStatus.SUCCEEDED, 4, NOW.plusSeconds(2))))
                .containsExactly(command.id());
        // a second answer, and one that another device claims: the first result stands
        assertThat(close(result(command, CommandStatus.FAILED, 5, NOW.plusSeconds(3))))
                .isEmpty();
        assertThat(close(new CommandStore.Result(
                        command.id(), stranger, CommandStatus.FAILED, null, "forged", 1, "h1", NOW.plusSeconds(4))))
                .isEmpty();

        StoredCommand row = store.find(command.id()).orElseThrow();
        assertThat(row.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(row.output().asDouble()).isEqualTo(21.5);
        assertThat(row.finishedAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(statuses(command)).containsExactly("QUEUED", "PUBLISHED", "SUCCEEDED", "LATE-RESULT");
        assertThat(store.events(command.id()).get(3).detail()).isEqualTo("FAILED: the result of entry 5");
    }

    @Test
    void expiryTakesExactlyTheOpenCommandsWhoseTimeoutPassed() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        StoredCommand queued = queue(device, 60);
        StoredCommand published = queue(device, 60);
        store.markPublished(published.id(), NOW.plusSeconds(1));
        StoredCommand later = queue(device, 120);
        StoredCommand answered = queue(device, 30);
        close(result(answered, CommandStatus.SUCCEEDED, 1, NOW.plusSeconds(10)));

        assertThat(store.expireDue(NOW.plusSeconds(60).minusMillis(1))).isEmpty();
        assertThat(store.expireDue(NOW.plusSeconds(60))).containsExactlyInAnyOrder(queued.id(), published.id());
        assertThat(store.expireDue(NOW.plusSeconds(61))).as("expired once").isEmpty();

        StoredCommand expired = store.find(published.id()).orElseThrow();
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.finishedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(expired.error()).isEqualTo("no result before 2026-01-10T12:01:00Z (PUBLISHED)");
        assertThat(store.find(queued.id()).orElseThrow().error()).endsWith("(QUEUED)");
        assertThat(statuses(queued)).containsExactly("QUEUED", "EXPIRED");
        assertThat(store.find(later.id()).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(store.find(answered.id()).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);

        // the device's answer after that is kept, not applied
        assertThat(close(result(queued, CommandStatus.SUCCEEDED, 2, NOW.plusSeconds(70))))
                .isEmpty();
        assertThat(store.find(queued.id()).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(statuses(queued)).containsExactly("QUEUED", "EXPIRED", "LATE-RESULT");
    }

    @Test
    void finishedCommandsWaitForDispatchOldestFirstUntilMarkedOnce() throws Exception {
        String device = TestDatabase.device(dataSource).account();
        StoredCommand open = queue(device, 60);
        StoredCommand second = queue(device, 60);
        StoredCommand first = queue(device, 60);
        StoredCommand third = queue(device, 60);
        close(result(second, CommandStatus.FAILED, 2, NOW.plusSeconds(2)));
        close(result(first, CommandStatus.SUCCEEDED, 1, NOW.plusSeconds(1)));
        close(result(third, CommandStatus.REJECTED, 3, NOW.plusSeconds(3)));

        assertThat(store.undispatched(10))
                .extracting(StoredCommand::id)
                .containsExactly(first.id(), second.id(), third.id());
        assertThat(store.undispatched(2)).extracting(StoredCommand::id).containsExactly(first.id(), second.id());

        assertThat(store.markDispatched(open.id(), "sent", NOW.plusSeconds(4)))
                .as("no result to send yet")
                .isFalse();
        assertThat(store.markDispatched(first.id(), "sent", NOW.plusSeconds(4))).isTrue();
        assertThat(store.markDispatched(first.id(), "sent", NOW.plusSeconds(5))).isFalse();

        assertThat(store.undispatched(10)).extracting(StoredCommand::id).containsExactly(second.id(), third.id());
        assertThat(store.find(first.id()).orElseThrow().dispatchedAt()).isEqualTo(NOW.plusSeconds(4));
        assertThat(store.events(first.id())).last().satisfies(e -> {
            assertThat(e.status()).isEqualTo(CommandEvent.DISPATCHED);
            assertThat(e.detail()).isEqualTo("sent");
        });
        assertThat(statuses(open)).containsExactly("QUEUED");
    }

    @Test
    void theQueueToPublishIsEachDevicesUnpublishedUnexpiredCommandsInOrder() throws Exception {
        String a = TestDatabase.device(dataSource).account();
        String b = TestDatabase.device(dataSource).account();
        StoredCommand a1 = queue(a, 60);
        StoredCommand a2 = queue(a, 10);
        StoredCommand a3 = queue(a, 60);
        StoredCommand a4 = queue(a, 60);
        StoredCommand b1 = queue(b, 60);
        store.markPublished(a1.id(), NOW);

        assertThat(store.queued(a, NOW.plusSeconds(10), 10))
                .extracting(StoredCommand::id)
                .as("published and timed-out ones left out")
                .containsExactly(a3.id(), a4.id());
        assertThat(store.queued(a, NOW, 2)).extracting(StoredCommand::id).containsExactly(a2.id(), a3.id());
        assertThat(store.firstQueuedPerDevice())
                .extracting(StoredCommand::id)
                .containsExactlyInAnyOrder(a2.id(), b1.id());
        assertThat(store.queued(a, NOW, 1).get(0).deviceKey())
                .as("the publisher seals nothing, it needs the key")
                .isNotBlank();
    }

    private String seal(long seq) {
        sealedAt.add(seq);
        return "sealed at " + seq;
    }

    private StoredCommand queue(String device, long timeoutSeconds) throws Exception {
        return store.create(command(device, PORTAL, null, 21.5, NOW, timeoutSeconds), this::seal)
                .command();
    }

    private static CommandStore.NewCommand command(
            String device, String caller, String correlationId, double value, Instant at, long timeoutSeconds) {
        JsonNode input = Json.object().put("value", value);
        return new CommandStore.NewCommand(
                UUID.randomUUID().toString(),
                device,
                caller,
                "rest",
                correlationId,
                "setTargetTemperature",
                input,
                CommandIntake.payloadHash(device, "setTargetTemperature", input),
                null,
                at,
                at.plus(Duration.ofSeconds(timeoutSeconds)));
    }

    private static CommandStore.Result result(StoredCommand command, CommandStatus status, long entry, Instant at) {
        return new CommandStore.Result(
                command.id(),
                command.deviceId(),
                status,
                status == CommandStatus.SUCCEEDED ? DoubleNode.valueOf(21.5) : null,
                status == CommandStatus.SUCCEEDED ? null : "the result of entry " + entry,
                entry,
                "hash of " + entry,
                at);
    }

    /** Applies results as the readings writer does: in its transaction, committed. */
    private static List<String> close(CommandStore.Result... results) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String> closed = store.applyResults(c, List.of(results));
            c.commit();
            return closed;
        }
    }

    private static List<String> statuses(StoredCommand command) throws SQLException {
        return store.events(command.id()).stream().map(CommandEvent::status).toList();
    }

    private static long commandsOf(String device) throws SQLException {
        return TestDatabase.count(dataSource, "SELECT count(*) FROM commands WHERE device_id = '" + device + "'");
    }
}
