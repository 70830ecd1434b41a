package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.registry.DeviceStatus;
import io.streembit.gateway.security.Caller;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.td.ThingDescription;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Takes a command request from any intake (REST, Kafka, an operator's route): checks it against
 * the device (registered, active, allowed for the caller) and its Thing Description (the action
 * exists, the input matches its schema), stores it sealed at the device's next queue position,
 * and hands it on to be published. Everything is checked before anything is stored.
 */
public final class CommandIntake {
    private final CommandStore store;
    private final Identity gateway;
    private final Commands commands;
    private final Consumer<StoredCommand> queued;
    private final CommandOptions options;
    private final Clock clock;
    private final BiConsumer<String, String> outcomes;
    private final ThingDescriptions tds = new ThingDescriptions();

    /**
     * {@code queued} is handed each command this intake created (in the gateway the publisher's
     * {@link CommandPublisher#submit}); {@code outcomes} gets (source, outcome) for each request:
     * created, existing, or the refusal's code.
     */
    public CommandIntake(
            CommandStore store,
            Identity gateway,
            Commands commands,
            Consumer<StoredCommand> queued,
            CommandOptions options,
            Clock clock,
            BiConsumer<String, String> outcomes) {
        this.store = store;
        this.gateway = gateway;
        this.commands = commands;
        this.queued = queued;
        this.options = options;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    /** Stores and queues the command, or returns the one the caller's correlation id already names. */
    public CommandStore.Intake submit(CommandRequest request, Caller caller, String source)
            throws CommandRefused, SQLException {
        try {
            CommandStore.Intake intake = take(request, caller, source);
            outcomes.accept(source, intake.created() ? "created" : "existing");
            return intake;
        } catch (CommandRefused e) {
            outcomes.accept(source, e.reason().code());
            throw e;
        }
    }

    private CommandStore.Intake take(CommandRequest request, Caller caller, String source)
            throws CommandRefused, SQLException {
        if (request.deviceId() == null) {
            throw new CommandRefused(CommandRefused.Reason.MALFORMED, "deviceId is required");
        }
        CommandStore.Target device = store.target(request.deviceId())
                .orElseThrow(() -> new CommandRefused(
                        CommandRefused.Reason.UNKNOWN_DEVICE, "no device " + request.deviceId() + " is registered"));
        if (!caller.mayAccess(device.id(), device.labelMap())) {
            throw new CommandRefused(
                    CommandRefused.Reason.NOT_ALLOWED, caller.name() + " may not command device " + device.id());
        }
        if (device.status() != DeviceStatus.ACTIVE) {
            throw new CommandRefused(CommandRefused.Reason.DEVICE_REVOKED, "device " + device.id() + " is revoked");
        }
        checkAgainstTd(request, device);
        Duration timeout = timeout(request);
        JsonNode input = request.input();
        if (input != null && Json.bytes(input).length > options.maxInputBytes()) {
            throw new CommandRefused(
                    CommandRefused.Reason.MALFORMED,
                    "input is larger than " + options.maxInputBytes() + " bytes of JSON");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long exp = now.getEpochSecond() + timeout.toSeconds();
        String id = UUID.randomUUID().toString();
        PublicKey deviceKey;
        try {
            deviceKey = PublicKey.fromHex(device.publicKey());
        } catch (ProtocolException e) {
            throw new IllegalStateException("the stored key of " + device.id() + " does not parse", e);
        }
        Command command = new Command(id, request.action(), input, exp);
        CommandStore.NewCommand stored = new CommandStore.NewCommand(
                id,
                device.id(),
                caller.name(),
                source,
                request.correlationId(),
                request.action(),
                input,
                payloadHash(device.id(), request.action(), input),
                request.callbackUrl(),
                now,
                Instant.ofEpochSecond(exp));
        CommandStore.Intake intake =
                store.create(stored, seq -> commands.seal(gateway, deviceKey, seq, command, now.getEpochSecond()));
        if (intake.created()) {
            queued.accept(intake.command());
        }
        return intake;
    }

    private void checkAgainstTd(CommandRequest request, CommandStore.Target device) throws CommandRefused {
        ThingDescription td;
        try {
            td = tds.of(device.id(), device.td());
        } catch (ProtocolException e) {
            throw new IllegalStateException(
                    "the stored TD of " + device.id() + " does not parse: " + e.getMessage(), e);
        }
        if (td.action(request.action()).isEmpty()) {
            throw new CommandRefused(
                    CommandRefused.Reason.UNKNOWN_ACTION,
                    "device " + device.id() + " (" + td.id() + ") has no action '" + request.action()
                            + "'; its actions: " + td.actions().keySet());
        }
        try {
            td.validateActionInput(request.action(), request.input());
        } catch (ProtocolException e) {
            throw new CommandRefused(
                    CommandRefused.Reason.INVALID_INPUT, "input of '" + request.action() + "': " + e.getMessage());
        }
    }

    private Duration timeout(CommandRequest request) throws CommandRefused {
        if (request.timeoutSeconds() == null) {
            return options.defaultTimeout();
        }
        Duration timeout = Duration.ofSeconds(request.timeoutSeconds());
        if (timeout.compareTo(options.maxTimeout()) > 0) {
            throw new CommandRefused(
                    CommandRefused.Reason.MALFORMED,
                    "timeoutSeconds is at most " + options.maxTimeout().toSeconds());
        }
        return timeout;
    }

    /**
     * What makes two requests the same command: device, action and input (members in any
     * order). Timeout and callback are not part of it: a portal re-sending after a lost answer
     * gets its command back even if it recomputed the timeout.
     */
    static String payloadHash(String deviceId, String action, JsonNode input) {
        String text = deviceId + "\n" + action + "\n" + (input == null ? "" : Json.text(canonical(input)));
        return Hex.encode(Hashes.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            var out = Json.object();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        return node;
    }
}
