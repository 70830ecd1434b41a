package io.streembit.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.Records;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.streembit.device.TestGateway.command;
import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Commands from a stand-in gateway reach the device's handler, or are refused with a reason. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTest {
    private TestNetwork net;

    @BeforeAll
    void network() throws Exception {
        net = new TestNetwork();
        net.grow(10);
    }

    @AfterAll
    void close() throws Exception {
        net.close();
    }

    static ObjectNode target(double value) {
        ObjectNode input = Json.object();
        input.put("value", value);
        return input;
    }

    /** The thermostat's handler: sets the target, and a reboot that fails. */
    static CommandHandler thermostat(List<String> calls) {
        return (action, input) -> {
            calls.add(action + " " + (input == null ? "-" : input.get("value").asDouble()));
            return switch (action) {
                case "setTargetTemperature" -> CompletableFuture.completedFuture(input.get("value"));
                case "reboot" -> throw new IllegalStateException("relay stuck");
                default -> throw new AssertionError("the agent let through action " + action);
            };
        };
    }

    @Test
    void commandsAreExecutedOrRefusedWithAReason(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        Identity operator = Identity.generate(TestNetwork.RANDOM);
        Identity attacker = Identity.generate(TestNetwork.RANDOM);
        PublicKey pub = device.publicKey();
        List<String> calls = new CopyOnWriteArrayList<>();
        DeviceAgent agent = await(DeviceAgent.start(
                net.vertx,
                FeedDeliveryTest.options(net, device, gateway, dir)
                        .controllers(Set.of(operator.publicKey()))
                        .build(),
                thermostat(calls)));
        TestGateway.Feed feed = gateway.follow(pub, true);
        try {
            gateway.send(pub, command("c-ok", "setTargetTemperature", target(21.5), 300));
            gateway.send(pub, command("c-bad", "setTargetTemperature", target(45), 300));
            gateway.send(pub, command("c-unknown", "selfDestruct", null, 300));
            gateway.send(pub, command("c-ok", "setTargetTemperature", target(22), 300)); // replayed id
            gateway.send(pub, command("c-throws", "reboot", null, 300));

            long now = System.currentTimeMillis() / 1000;
            // in the gateway's own queue, but encrypted for another device: unreadable, no trustworthy id
            Command other = command("c-other", "setTargetTemperature", target(20), 300);
            String forOther = Jwe.standard()
                    .encrypt(
                            Identity.generate(TestNetwork.RANDOM).publicKey(),
                            other.toBytes(),
                            gateway.identity.account());
            gateway.appendNext(
                    pub,
                    Records.sign(
                            gateway.identity,
                            new RecordPayload(
                                    gateway.identity.publicKey(),
                                    Commands.salt(pub),
                                    gateway.nextSeq(pub),
                                    now,
                                    now + 300,
                                    true,
                                    TextNode.valueOf(forOther))));
            // a ciphertext made by someone else, re-signed into the queue: author mismatch
            Command lifted = command("c-lifted", "setTargetTemperature", target(20), 300);
            String byAttacker = Jwe.standard().encrypt(pub, lifted.toBytes(), attacker.account());
            gateway.appendNext(
                    pub,
                    Records.sign(
                            gateway.identity,
                            new RecordPayload(
                                    gateway.identity.publicKey(),
                                    Commands.salt(pub),
                                    gateway.nextSeq(pub),
                                    now,
                                    now + 300,
                                    true,
                                    TextNode.valueOf(byAttacker))));
            // a key that is not a controller writes its own queue for the device: not followed
            await(gateway.node
                    .logWriter(Commands.key(attacker.publicKey(), pub))
                    .append(Commands.standard()
                            .seal(
                                    attacker,
                                    pub,
                                    1,
                                    command("c-attacker", "setTargetTemperature", target(20), 300),
                                    now)));
            // an extra controller's queue is followed
            await(gateway.node
                    .logWriter(Commands.key(operator.publicKey(), pub))
                    .append(Commands.standard()
                            .seal(operator, pub, 1, command("op-1", "setTargetTemperature", target(18), 300), now)));
            gateway.send(pub, command("c-last", "setTargetTemperature", target(19), 300));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> feed.result("c-last") != null && feed.result("op-1") != null);
            // one more command on each followed queue: an extra result, or an execution of what
            // must not run, would come before theirs
            gateway.send(pub, command("c-after", "setTargetTemperature", target(20.5), 300));
            await(gateway.node
                    .logWriter(Commands.key(operator.publicKey(), pub))
                    .append(Commands.standard()
                            .seal(
                                    operator,
                                    pub,
                                    2,
                                    command("op-after", "setTargetTemperature", target(17), 300),
                                    now)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> feed.result("c-after") != null && feed.result("op-after") != null);

            assertThat(feed.problems).isEmpty();
            assertThat(feed.results.get("c-ok")).hasSize(2);
            CommandResult ok = feed.results.get("c-ok").get(0);
            assertThat(ok.status()).isEqualTo(CommandResult.Status.OK);
            assertThat(ok.output().asDouble()).isEqualTo(21.5);
            CommandResult replay = feed.results.get("c-ok").get(1);
            assertThat(replay.status()).isEqualTo(CommandResult.Status.REJECTED);
            assertThat(replay.error()).startsWith("duplicate: ");

            assertRejected(
                    feed.result("c-bad"),
                    "schema-violation: /setTargetTemperature/input/value: 45 is above maximum 30");
            assertRejected(
                    feed.result("c-unknown"), "schema-violation: no action 'selfDestruct' in the Thing Description");
            CommandResult thrown = feed.result("c-throws");
            assertThat(thrown.status()).isEqualTo(CommandResult.Status.ERROR);
            assertThat(thrown.error()).isEqualTo("relay stuck");
            assertThat(feed.result("op-1").status()).isEqualTo(CommandResult.Status.OK);
            assertThat(feed.result("c-last").output().asDouble()).isEqualTo(19.0);

            assertThat(feed.results).doesNotContainKeys("c-other", "c-lifted", "c-attacker");
            assertThat(calls)
                    .containsExactlyInAnyOrder(
                            "setTargetTemperature 21.5",
                            "reboot -",
                            "setTargetTemperature 18.0",
                            "setTargetTemperature 19.0",
                            "setTargetTemperature 20.5",
                            "setTargetTemperature 17.0");

            DeviceStats stats = agent.stats();
            assertThat(stats.commandsIgnored()).isEqualTo(Map.of("decrypt-failed", 1L, "author-mismatch", 1L));
            assertThat(stats.commandsOk()).isEqualTo(5);
            assertThat(stats.commandsRejected()).isEqualTo(3);
            assertThat(stats.commandsFailed()).isEqualTo(1);
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    private static void assertRejected(CommandResult result, String errorPrefix) {
        assertThat(result).isNotNull();
        assertThat(result.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(result.error()).startsWith(errorPrefix);
    }

    @Test
    void aHandlerThatNeverAnswersGivesATimeoutErrorAndACommandThatWaitedPastItsExpiryIsRejected(@TempDir Path dir)
            throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        PublicKey pub = device.publicKey();
        List<String> calls = new CopyOnWriteArrayList<>();
        CommandHandler hangs = (action, input) -> {
            calls.add(action);
            return new CompletableFuture<JsonNode>(); // never completes
        };
        // both queued before the device starts: it fetches them together, then runs them in order
        gateway.send(pub, command("c-hangs", "reboot", null, 300));
        gateway.send(pub, command("c-late", "setTargetTemperature", target(20), 5));
        DeviceAgent agent = await(DeviceAgent.start(
                net.vertx,
                FeedDeliveryTest.options(net, device, gateway, dir)
                        .commandTimeout(Duration.ofSeconds(5))
                        .build(),
                hangs));
        TestGateway.Feed feed = gateway.follow(pub, true);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.result("c-late") != null);
            CommandResult hung = feed.result("c-hangs");
            assertThat(hung.status()).isEqualTo(CommandResult.Status.ERROR);
            assertThat(hung.error()).isEqualTo("timeout: no result within 5000 ms");
            assertRejected(feed.result("c-late"), "expired: the command expired at ");
            assertThat(calls).containsExactly("reboot");
        } finally {
            feed.stop();
            await(agent.stop());
        }
    }

    @Test
    void acceptedIdsAndTheQueuePositionSurviveARestart(@TempDir Path dir) throws Exception {
        TestGateway gateway = new TestGateway(net);
        Identity device = Identity.generate(TestNetwork.RANDOM);
        PublicKey pub = device.publicKey();
        List<String> calls = new CopyOnWriteArrayList<>();
        DeviceOptions options =
                FeedDeliveryTest.options(net, device, gateway, dir).build();
        DeviceAgent first = await(DeviceAgent.start(net.vertx, options, thermostat(calls)));
        TestGateway.Feed feed = gateway.follow(pub, true);
        try {
            gateway.send(pub, command("c-1", "setTargetTemperature", target(21), 300));
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.result("c-1") != null);
            await(first.stop());

            DeviceAgent second = await(DeviceAgent.start(net.vertx, options, thermostat(calls)));
            try {
                gateway.send(pub, command("c-1", "setTargetTemperature", target(23), 300)); // replay after restart
                gateway.send(pub, command("c-2", "setTargetTemperature", target(24), 300));
                await().atMost(Duration.ofSeconds(20)).until(() -> feed.result("c-2") != null);
                // a later command: a second run of c-1 would come before it
                gateway.send(pub, command("c-3", "setTargetTemperature", target(25), 300));
                await().atMost(Duration.ofSeconds(20)).until(() -> feed.result("c-3") != null);
                assertThat(feed.results.get("c-1"))
                        .extracting(CommandResult::status)
                        .containsExactly(CommandResult.Status.OK, CommandResult.Status.REJECTED);
                assertThat(feed.results.get("c-1").get(1).error()).startsWith("duplicate: ");
                assertThat(calls)
                        .containsExactly(
                                "setTargetTemperature 21.0", "setTargetTemperature 24.0", "setTargetTemperature 25.0");
                assertThat(feed.problems).isEmpty();
            } finally {
                await(second.stop());
            }
        } finally {
            feed.stop();
        }
    }
}
