package io.streembit.device;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor itself refuses a command signed by a key that is not a controller, even one
 * encrypted for this device under its own command salt: the agent never follows such a queue,
 * but the check does not depend on that.
 */
class CommandProcessorTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aCommandSignedByANonControllerIsNeitherExecutedNorAnswered(@TempDir Path dir) throws Exception {
        Identity device = Identity.generate(TestNetwork.RANDOM);
        Identity gateway = Identity.generate(TestNetwork.RANDOM);
        Identity stranger = Identity.generate(TestNetwork.RANDOM);
        DeviceOptions options = DeviceOptions.builder(
                        device,
                        Things.load("thermostat"),
                        ContactOffers.parse(
                                ContactOffers.create(gateway, UserType.GATEWAY, "127.0.0.1", 1, "tcp", null)),
                        dir)
                .build();
        List<String> calls = new CopyOnWriteArrayList<>();
        List<CommandResult> results = new CopyOnWriteArrayList<>();
        DeviceCounters counters = new DeviceCounters();
        Context context = vertx.getOrCreateContext();
        try (CommandLedger ledger = CommandLedger.open(dir, false, 0)) {
            CommandProcessor processor = new CommandProcessor(
                    vertx,
                    context,
                    options,
                    ledger,
                    (action, input) -> {
                        calls.add(action);
                        return CompletableFuture.completedFuture(input.get("value"));
                    },
                    Clock.systemUTC(),
                    counters,
                    result -> {
                        results.add(result);
                        return Future.succeededFuture(1L);
                    });
            long now = System.currentTimeMillis() / 1000;
            com.fasterxml.jackson.databind.node.ObjectNode input = io.streembit.protocol.Json.object();
            input.set("value", IntNode.valueOf(20));
            Command command = new Command("c-1", "setTargetTemperature", input, now + 300);

            VerifiedRecord forged =
                    verify(Commands.standard().seal(stranger, device.publicKey(), 1, command, now), now);
            onContext(context, () -> processor.process(forged));
            assertThat(calls).isEmpty();
            assertThat(results).isEmpty();
            assertThat(counters.snapshot(FeedBuffer.open(dir.resolve("feed"), false))
                            .commandsIgnored())
                    .containsExactlyEntriesOf(java.util.Map.of("not-allowed", 1L));
            assertThat(ledger.seen(stranger.publicKey(), "c-1")).isFalse();

            // the same command from the gateway runs
            VerifiedRecord genuine =
                    verify(Commands.standard().seal(gateway, device.publicKey(), 1, command, now), now);
            onContext(context, () -> processor.process(genuine));
            assertThat(calls).containsExactly("setTargetTemperature");
            assertThat(results).extracting(CommandResult::status).containsExactly(CommandResult.Status.OK);
        }
    }

    private static VerifiedRecord verify(String token, long now) throws Exception {
        String payload = token.split("\\.")[1];
        io.streembit.protocol.record.RecordPayload p = io.streembit.protocol.record.RecordPayload.parse(
                io.streembit.protocol.Base64Url.decode(payload, "payload"));
        return new RecordValidator(RecordLimits.DEFAULTS).validate(p.key(), token, Instant.ofEpochSecond(now));
    }

    private static void onContext(Context context, java.util.function.Supplier<Future<Void>> action) throws Exception {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(done));
        await(done.future());
    }
}
