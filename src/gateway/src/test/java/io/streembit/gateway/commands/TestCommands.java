package io.streembit.gateway.commands;

import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Commands stored the way {@link CommandIntake#submit} stores them, for tests without a DHT to
 * publish to: a parsed request addressed to a registered device, the intake's payload hash and
 * times, and a record the gateway sealed for the device at the queue position the real
 * {@link CommandStore} takes. The Thing Description check and the publisher are left out.
 */
public final class TestCommands {
    private static final Commands COMMANDS = Commands.standard();

    private TestCommands() {}

    /** Stores {@code request} (its deviceId set) as {@code caller} through {@code source}, taken at {@code now}. */
    public static StoredCommand create(
            CommandStore store,
            Identity gateway,
            PublicKey device,
            CommandRequest request,
            String caller,
            String source,
            Instant now)
            throws Exception {
        Instant created = now.truncatedTo(ChronoUnit.MILLIS);
        long timeout = request.timeoutSeconds() == null ? Duration.ofMinutes(5).toSeconds() : request.timeoutSeconds();
        long exp = created.getEpochSecond() + timeout;
        String id = UUID.randomUUID().toString();
        Command command = new Command(id, request.action(), request.input(), exp);
        CommandStore.NewCommand stored = new CommandStore.NewCommand(
                id,
                request.deviceId(),
                caller,
                source,
                request.correlationId(),
                request.action(),
                request.input(),
                CommandIntake.payloadHash(request.deviceId(), request.action(), request.input()),
                request.callbackUrl(),
                created,
                Instant.ofEpochSecond(exp));
        return store.create(stored, seq -> COMMANDS.seal(gateway, device, seq, command, created.getEpochSecond()))
                .command();
    }
}
