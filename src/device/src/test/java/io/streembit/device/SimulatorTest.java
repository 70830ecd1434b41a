package io.streembit.device;

import io.streembit.device.sim.SimulatedDevice;
import io.streembit.device.sim.Simulator;
import io.streembit.device.sim.SimulatorOptions;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.streembit.device.TestGateway.command;
import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A small fleet runs against a real DHT and a stand-in gateway, and comes back with the same keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorTest {
    private TestNetwork net;

    @BeforeAll
    void network() throws Exception {
        net = new TestNetwork();
        net.grow(6);
    }

    @AfterAll
    void close() throws Exception {
        net.close();
    }

    @Test
    void aMixedFleetPublishesValidReadingsAnswersCommandsAndReusesItsKeys(@TempDir Path keys, @TempDir Path offers)
            throws Exception {
        TestGateway gateway = new TestGateway(net);
        SimulatorOptions options = SimulatorOptions.of(gateway.offer(), 3, keys, "Simulated-Fleet-42".toCharArray())
                .withSeeds(net.seeds())
                .withRate(20)
                .withBatch(10, Duration.ofMillis(200))
                .withOffersDir(offers)
                .withKdf(new KdfParams(64, 1, 1))
                .withDht(TestNetwork.testOptions());
        Simulator simulator = await(Simulator.start(net.vertx, options));
        Map<String, TestGateway.Feed> feeds = new HashMap<>();
        Map<String, ThingDescription> tds = new HashMap<>();
        Map<String, PublicKey> keysByKind = new HashMap<>();
        List<String> accounts;
        try {
            // offers to register the devices at the gateway, one per device, with its TD
            assertThat(simulator.devices())
                    .extracting(SimulatedDevice::kind)
                    .containsExactly("thermostat", "door-lock", "energy-meter");
            for (SimulatedDevice device : simulator.devices()) {
                VerifiedContactOffer offer = ContactOffers.parse(Files.readString(device.offerFile()));
                assertThat(offer.userType()).isEqualTo(UserType.DEVICE);
                assertThat(offer.account()).isEqualTo(device.account());
                ThingDescription td = offer.thingDescription().orElseThrow();
                assertThat(td.id()).isEqualTo("urn:streembit:device:" + device.account());
                tds.put(device.kind(), td);
                keysByKind.put(device.kind(), offer.publicKey());
                feeds.put(device.kind(), gateway.follow(offer.publicKey(), true));
            }
            assertThat(Files.list(keys)
                            .filter(p -> p.toString().endsWith(".key"))
                            .count())
                    .isEqualTo(3);
            accounts =
                    simulator.devices().stream().map(SimulatedDevice::account).toList();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> feeds.values().stream().allMatch(f -> f.readings.size() >= 30));
            for (Map.Entry<String, TestGateway.Feed> e : feeds.entrySet()) {
                assertThat(e.getValue().problems).as(e.getKey()).isEmpty();
                for (Reading r : e.getValue().readings) {
                    tds.get(e.getKey()).validateReading(r.name(), r.value()); // what the gateway checks
                }
            }

            gateway.send(
                    keysByKind.get("thermostat"),
                    command("t-1", "setTargetTemperature", CommandTest.target(22.5), 300));
            gateway.send(keysByKind.get("door-lock"), command("d-1", "lock", null, 300));
            gateway.send(keysByKind.get("energy-meter"), command("e-1", "reset", null, 300));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> feeds.get("thermostat").result("t-1") != null
                            && feeds.get("door-lock").result("d-1") != null
                            && feeds.get("energy-meter").result("e-1") != null);
            assertThat(feeds.get("thermostat").result("t-1").output().asDouble())
                    .isEqualTo(22.5);
            assertThat(feeds.get("door-lock").result("d-1").status()).isEqualTo(CommandResult.Status.OK);
            CommandResult reset = feeds.get("energy-meter").result("e-1");
            tds.get("energy-meter").validateActionOutput("reset", reset.output());
            // the new state shows in the feed
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> feeds.get("thermostat").readings.stream()
                            .anyMatch(r -> r.name().equals("targetTemperature")
                                    && r.value().asDouble() == 22.5));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> feeds.get("door-lock").readings.stream()
                            .anyMatch(
                                    r -> r.name().equals("locked") && r.value().asBoolean()));

            assertThat(simulator.progressLine())
                    .matches(
                            "3 devices \\| [\\d,]+ readings \\| batches [\\d,]+ published, "
                                    + "[\\d,]+ acknowledged, [\\d,]+ buffered \\| commands 3 executed \\(0 failed\\), 0 rejected");
            assertThat(simulator.stats().acknowledged()).isPositive();
        } finally {
            await(simulator.stop());
        }
        String summary = simulator.summary();
        assertThat(summary)
                .startsWith("simulated 3 devices for ")
                .contains("commands      3 executed (3 ok, 0 failed), 0 rejected, 0 ignored");

        // a second run reuses the keys, and each feed goes on where it stopped
        Simulator again = await(Simulator.start(net.vertx, options));
        try {
            assertThat(again.devices()).extracting(SimulatedDevice::account).containsExactlyElementsOf(accounts);
            Map<String, Integer> before = new HashMap<>();
            feeds.forEach((kind, feed) -> before.put(kind, feed.entries.size()));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> feeds.entrySet().stream()
                            .allMatch(e -> e.getValue().entries.size() > before.get(e.getKey()) + 2));
            feeds.values().forEach(f -> assertThat(f.problems).isEmpty());
        } finally {
            await(again.stop());
            feeds.values().forEach(TestGateway.Feed::stop);
        }
    }
}
