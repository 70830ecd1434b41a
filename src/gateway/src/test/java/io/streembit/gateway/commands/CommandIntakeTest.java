package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.gateway.security.Caller;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the intake takes and what it refuses, against the devices and Thing Descriptions in a real
 * PostgreSQL: a taken command is stored sealed for its device and handed on to be published; a
 * refused one carries the code a portal switches on, and leaves nothing behind.
 */
class CommandIntakeTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00.250Z");
    private static final Identity GATEWAY = Identity.generate(TestDatabase.RANDOM);
    private static final CommandOptions OPTIONS = new CommandOptions(
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            64,
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));
    private static final Caller PORTAL = new Caller("api-key:portal", Set.of(Caller.COMMAND), Set.of(), Map.of());

    private static DataSource dataSource;
    private static CommandStore store;

    private final VirtualTime clock = new VirtualTime(NOW);
    private final List<StoredCommand> queued = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final CommandIntake intake = new CommandIntake(
            store,
            GATEWAY,
            Commands.standard(),
            queued::add,
            OPTIONS,
            clock,
            (source, outcome) -> outcomes.add(source + " " + outcome));

    @BeforeAll
    static void createTables() throws SQLException {
        dataSource = TestDatabase.create();
        store = new CommandStore(dataSource);
    }

    @Test
    void aCommandIsStoredSealedForItsDeviceAndHandedOnToBePublished() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        CommandRequest request = new CommandRequest(
                device.account(),
                "setTargetTemperature",
                value(21.5),
                60,
                "portal-1",
                "https://portal.example/results");

        CommandStore.Intake taken = intake.submit(request, PORTAL, "rest");

        assertThat(taken.created()).isTrue();
        StoredCommand command = taken.command();
        assertThat(command.status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(command.seq()).isEqualTo(1);
        assertThat(command.caller()).isEqualTo("api-key:portal");
        assertThat(command.source()).isEqualTo("rest");
        assertThat(command.callbackUrl()).isEqualTo("https://portal.example/results");
        assertThat(command.createdAt()).isEqualTo(NOW);
        assertThat(command.expiresAt()).isEqualTo(Instant.parse("2026-01-10T12:01:00Z"));
        assertThat(queued).extracting(StoredCommand::id).containsExactly(command.id());
        assertThat(outcomes).containsExactly("rest created");

        // what the device gets: the gateway's record at its queue position, readable by it alone
        VerifiedRecord record = new RecordValidator(RecordLimits.DEFAULTS)
                .validate(Commands.key(GATEWAY.publicKey(), device.publicKey()), command.token(), NOW);
        assertThat(record.seq()).isEqualTo(1);
        Command sealed = Commands.standard().open(record, device, GATEWAY.publicKey()::equals, NOW);
        assertThat(sealed.id()).isEqualTo(command.id());
        assertThat(sealed.action()).isEqualTo("setTargetTemperature");
        assertThat(Json.text(sealed.input())).isEqualTo("{\"value\":21.5}");
        assertThat(sealed.exp()).isEqualTo(command.expiresAt().getEpochSecond());
    }

    @Test
    void withoutATimeoutTheDefaultApplies() throws Exception {
        Identity device = TestDatabase.device(dataSource);

        StoredCommand command = intake.submit(
                        new CommandRequest(device.account(), "reboot", null, null, null, null), PORTAL, "kafka")
                .command();

        assertThat(command.expiresAt()).isEqualTo(Instant.parse("2026-01-10T12:05:00Z"));
        assertThat(command.input()).isNull();
    }

    @Test
    void theSameCorrelationIdGivesTheSameCommandAndQueuesItOnce() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        StoredCommand first = intake.submit(
                        new CommandRequest(device.account(), "setTargetTemperature", value(21.5), 60, "portal-2", null),
                        PORTAL,
                        "rest")
                .command();
        clock.advance(Duration.ofSeconds(3));

        CommandStore.Intake again = intake.submit(
                new CommandRequest(device.account(), "setTargetTemperature", value(21.5), 57, "portal-2", null),
                PORTAL,
                "rest");
        CommandRefused reused = refusal(
                new CommandRequest(device.account(), "setTargetTemperature", value(22.0), 60, "portal-2", null),
                PORTAL);

        assertThat(again.created()).isFalse();
        assertThat(again.command().id()).isEqualTo(first.id());
        assertThat(reused.reason()).isEqualTo(CommandRefused.Reason.CORRELATION_REUSED);
        assertThat(queued).extracting(StoredCommand::id).containsExactly(first.id());
        assertThat(outcomes).containsExactly("rest created", "rest existing", "rest correlation-id-reused");
    }

    @Test
    void aCallerWithAnAllowListCommandsOnlyTheDevicesOnIt() throws Exception {
        Identity plant7 = TestDatabase.device(dataSource, "thermostat", Map.of("site", "plant-7"));
        Identity listed = TestDatabase.device(dataSource);
        Identity other = TestDatabase.device(dataSource, "thermostat", Map.of("site", "plant-8"));
        Caller operator =
                new Caller("jwt:ops", Set.of(Caller.COMMAND), Set.of(listed.account()), Map.of("site", "plant-7"));

        assertThat(intake.submit(reboot(plant7), operator, "rest").created()).isTrue();
        assertThat(intake.submit(reboot(listed), operator, "rest").created()).isTrue();
        CommandRefused refused = refusal(reboot(other), operator);

        assertThat(refused.reason()).isEqualTo(CommandRefused.Reason.NOT_ALLOWED);
        assertThat(refused.getMessage()).isEqualTo("jwt:ops may not command device " + other.account());
        assertNothingStoredFor(other);
    }

    @Test
    void everyRefusalHasItsReasonAndLeavesNothingBehind() throws Exception {
        Identity device = TestDatabase.device(dataSource);
        Identity revoked = TestDatabase.device(dataSource);
        TestDatabase.revoke(dataSource, revoked.account());
        Identity unknown = Identity.generate(TestDatabase.RANDOM);
        String id = device.account();

        assertRefused(
                new CommandRequest(null, "reboot", null, null, null, null),
                CommandRefused.Reason.MALFORMED,
                "deviceId is required");
        assertRefused(
                reboot(unknown),
                CommandRefused.Reason.UNKNOWN_DEVICE,
                "no device " + unknown.account() + " is registered");
        assertRefused(
                reboot(revoked), CommandRefused.Reason.DEVICE_REVOKED, "device " + revoked.account() + " is revoked");
        assertRefused(
                new CommandRequest(id, "selfDestruct", null, null, null, null),
                CommandRefused.Reason.UNKNOWN_ACTION,
                "has no action 'selfDestruct'; its actions: ");
        assertRefused(
                new CommandRequest(id, "setTargetTemperature", value(99), null, null, null),
                CommandRefused.Reason.INVALID_INPUT,
                "input of 'setTargetTemperature': ");
        assertRefused(
                new CommandRequest(id, "setTargetTemperature", null, null, null, null),
                CommandRefused.Reason.INVALID_INPUT,
                "input of 'setTargetTemperature': ");
        assertRefused(
                new CommandRequest(id, "reboot", null, 3601, null, null),
                CommandRefused.Reason.MALFORMED,
                "timeoutSeconds is at most 3600");
        JsonNode large = value(21.5).put("note", "x".repeat(64));
        assertRefused(
                new CommandRequest(id, "setTargetTemperature", large, null, null, null),
                CommandRefused.Reason.MALFORMED,
                "input is larger than 64 bytes of JSON");

        assertThat(refusal(new CommandRequest(id, "selfDestruct", null, null, null, null), PORTAL)
                        .getMessage())
                .contains("setTargetTemperature", "reboot");
        assertThat(outcomes)
                .containsExactly(
                        "rest malformed-command",
                        "rest unknown-device",
                        "rest device-revoked",
                        "rest unknown-action",
                        "rest invalid-input",
                        "rest invalid-input",
                        "rest malformed-command",
                        "rest malformed-command",
                        "rest unknown-action");
        assertThat(queued).isEmpty();
        assertNothingStoredFor(device);
        assertNothingStoredFor(revoked);
    }

    private void assertRefused(CommandRequest request, CommandRefused.Reason reason, String message) {
        CommandRefused refused = refusal(request, PORTAL);
        assertThat(refused.reason()).as(request.toString()).isEqualTo(reason);
        assertThat(refused.getMessage()).as(request.toString()).contains(message);
    }

    private CommandRefused refusal(CommandRequest request, Caller caller) {
        Throwable thrown = catchThrowable(() -> intake.submit(request, caller, "rest"));
        assertThat(thrown).as(request.toString()).isInstanceOf(CommandRefused.class);
        return (CommandRefused) thrown;
    }

    private static void assertNothingStoredFor(Identity device) throws SQLException {
        assertThat(TestDatabase.count(
                        dataSource, "SELECT count(*) FROM commands WHERE device_id = '" + device.account() + "'"))
                .isZero();
        assertThat(TestDatabase.count(
                        dataSource, "SELECT command_seq FROM devices WHERE id = '" + device.account() + "'"))
                .as("no queue position taken")
                .isZero();
    }

    private static CommandRequest reboot(Identity device) {
        return new CommandRequest(device.account(), "reboot", null, null, null, null);
    }

    private static ObjectNode value(double value) {
        return Json.object().put("value", value);
    }
}
