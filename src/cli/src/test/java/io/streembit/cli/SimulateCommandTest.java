package io.streembit.cli;

import io.streembit.dht.DhtNode;
import io.streembit.dht.Subscription;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.ChainStep;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `streembit simulate` in-process against a real DHT of five nodes on 127.0.0.1, one of them the
 * gateway's; a stand-in consumer with the gateway key follows a device's feed through the DHT API.
 */
class SimulateCommandTest {
    static final String PASSCODE = "Blue-Kettle-2049";
    static final Pattern PROGRESS = Pattern.compile(
            "(\\d+) devices \\| [\\d,]+ readings \\| batches [\\d,]+ published,"
                    + " [\\d,]+ acknowledged, [\\d,]+ buffered \\| commands [\\d,]+ executed \\([\\d,]+ failed\\), [\\d,]+ rejected");
    static final Pattern BATCHES = Pattern.compile("(?m)^batches +([\\d,]+) published");

    @TempDir
    static Path dir;

    static LocalDht net;
    static Identity gateway;
    static DhtNode gatewayNode;
    static Path gatewayOffer;

    @BeforeAll
    static void network() throws Exception {
        net = LocalDht.of(4);
        gateway = Identity.generate(LocalDht.RANDOM);
        gatewayNode = net.add(gateway);
        gatewayOffer = dir.resolve("gateway.offer");
        Files.writeString(
                gatewayOffer,
                ContactOffers.create(gateway, UserType.GATEWAY, "127.0.0.1", gatewayNode.port(), "tcp", null),
                StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    /** What the stand-in gateway reads of one device's feed: entries opened with the gateway key, chain checked. */
    static final class Consumer {
        final List<FeedEntry> entries = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<String> othersCouldRead = new CopyOnWriteArrayList<>();
        final Identity bystander = Identity.generate(LocalDht.RANDOM);
        final Subscription subscription;
        private FeedChain chain = FeedChain.genesis();

        Consumer(VerifiedContactOffer device) {
            subscription = gatewayNode
                    .subscribeLog(FeedEntries.key(device.publicKey()), 1, this::onRecord)
                    .pollEvery(Duration.ofMillis(500));
        }

        private Future<Void> onRecord(VerifiedRecord record) {
            try {
                FeedEntry entry = FeedEntries.standard().open(record, gateway);
                ChainStep step = chain.append(entry, record.token());
                if (step instanceof ChainStep.Linked linked) {
                    chain = linked.chain();
                    entries.add(entry);
                } else {
                    problems.add(step.toString());
                }
            } catch (ProtocolException e) {
                problems.add(e.getMessage());
            }
            try {
                FeedEntries.standard().open(record, bystander);
                othersCouldRead.add("entry " + record.seq());
            } catch (ProtocolException e) {
                if (e.code() != ErrorCode.DECRYPT_FAILED) {
                    problems.add("bystander: " + e.getMessage());
                }
            }
            return Future.succeededFuture();
        }
    }

    static List<String> simulate(String... extra) {
        return simulateWith(gatewayOffer, extra);
    }

    static List<String> simulateWith(Path offer, String... extra) {
        List<String> args = new ArrayList<>(
                List.of("simulate", "--gateway-offer", offer.toString(), "--seed", net.seed(0), "--seed", net.seed(1)));
        args.addAll(List.of(extra));
        return args;
    }

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.sleep(50);
        }
    }

    /** The offers in {@code offers}, waiting until all {@code count} are written and parse. */
    static List<VerifiedContactOffer> offers(Path offers, int count, CliRun.Running run) throws InterruptedException {
        List<VerifiedContactOffer> parsed = new ArrayList<>();
        until(
                Duration.ofSeconds(60),
                () -> {
                    parsed.clear();
                    for (int i = 0; i < count; i++) {
                        try {
                            parsed.add(ContactOffers.parse(
                                    Files.readString(offers.resolve(String.format("device-%04d.offer", i)))));
                        } catch (Exception e) {
                            return false;
                        }
                    }
                    return true;
                },
                () -> "offers in " + offers + "; stderr: " + run.err());
        return List.copyOf(parsed);
    }

    static long batchesPublished(String summary) {
        Matcher m = BATCHES.matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void aMixedFleetPublishesFeedsOnlyTheGatewayReadsAndASecondRunIsTheSameFleet() throws Exception {
        Path keys = dir.resolve("fleet-keys");
        Path offersDir = dir.resolve("fleet-offers");
        CliRun.Running first = cli().passcode(PASSCODE)
                .start(
                        StreembitCli.COMMAND_GROUPS,
                        simulate(
                                        "--devices",
                                        "3",
                                        "--duration",
                                        "4",
                                        "--kind",
                                        "mixed",
                                        "--keys",
                                        keys.toString(),
                                        "--offers-out",
                                        offersDir.toString())
                                .toArray(String[]::new));
        List<VerifiedContactOffer> offers = offers(offersDir, 3, first);
        Consumer consumer = new Consumer(offers.get(0));
        try {
            assertThat(first.exit().get(90, TimeUnit.SECONDS)).as(first.err()).isZero();

            // the offers register three devices of the three kinds, each with its own key and TD
            assertThat(offers).extracting(VerifiedContactOffer::userType).containsOnly(UserType.DEVICE);
            assertThat(offers).extracting(VerifiedContactOffer::account).doesNotHaveDuplicates();
            assertThat(offers)
                    .extracting(o -> o.thingDescription().orElseThrow().title())
                    .allSatisfy(title -> assertThat(title).isNotBlank())
                    .doesNotHaveDuplicates();
            try (var listed = Files.list(keys)) {
                assertThat(listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".key")))
                        .containsExactlyInAnyOrder("device-0000.key", "device-0001.key", "device-0002.key");
            }

            // stdout: the summary only; stderr (not a terminal): a note, one progress line at the start
            String summary = first.out();
            assertThat(summary)
                    .startsWith("simulated 3 devices for ")
                    .contains("door-lock=1", "energy-meter=1", "thermostat=1");
            assertThat(batchesPublished(summary)).isPositive();
            List<String> errLines = first.err()
                    .lines()
                    .filter(l -> !l.contains("STREEMBIT_KDF="))
                    .toList();
            assertThat(first.err()).doesNotContain("\r");
            assertThat(errLines).hasSize(2);
            assertThat(errLines.get(0)).isEqualTo("streembit: creating 3 device keys in " + keys);
            assertThat(errLines.get(1)).matches(PROGRESS).startsWith("3 devices | ");

            // the consumer got the device's entries, readable with the gateway key only, valid for its TD
            ThingDescription td = offers.get(0).thingDescription().orElseThrow();
            until(
                    Duration.ofSeconds(20),
                    () -> !consumer.entries.isEmpty(),
                    () -> "entries; problems " + consumer.problems);
            for (FeedEntry entry : consumer.entries) {
                assertThat(entry.readings()).isNotEmpty();
                for (Reading r : entry.readings()) {
                    td.validateReading(r.name(), r.value());
                }
            }
            assertThat(consumer.othersCouldRead).isEmpty();
            int afterFirst = consumer.entries.size();

            // the same --keys: the same devices, and each feed continues its chain
            CliRun.Result second = cli().passcode(PASSCODE)
                    .run(simulate(
                                    "--devices",
                                    "3",
                                    "--duration",
                                    "2",
                                    "--keys",
                                    keys.toString(),
                                    "--offers-out",
                                    offersDir.toString())
                            .toArray(String[]::new));
            assertThat(second.exit()).as(second.toString()).isZero();
            assertThat(second.err()).doesNotContain("creating");
            assertThat(offers(offersDir, 3, first))
                    .extracting(VerifiedContactOffer::account)
                    .containsExactlyElementsOf(
                            offers.stream().map(VerifiedContactOffer::account).toList());
            assertThat(batchesPublished(second.out())).isPositive();
            until(
                    Duration.ofSeconds(20),
                    () -> consumer.entries.size() > afterFirst,
                    () -> "entries of the second run");
            assertThat(consumer.problems)
                    .as("every entry links to the one before, across both runs")
                    .isEmpty();
            assertThat(consumer.entries)
                    .extracting(FeedEntry::n)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, consumer.entries.size())
                            .boxed()
                            .toList());
        } finally {
            consumer.subscription.cancel();
        }
    }

    @Test
    void onATerminalTheProgressLineIsRewrittenAndTheStopSignalEndsWithASummary() throws Exception {
        AtomicReference<Runnable> stop = new AtomicReference<>();
        List<Function<Terminal, Object>> groups = new ArrayList<>(StreembitCli.COMMAND_GROUPS);
        groups.replaceAll(g ->
                g.apply(null) instanceof SimulateCommand ? t -> new SimulateCommand(t, stop::set, err -> true) : g);
        CliRun.Running run = cli().passcode(PASSCODE)
                .start(
                        groups,
                        simulate(
                                        "--devices",
                                        "1",
                                        "--kind",
                                        "thermostat",
                                        "--rate",
                                        "5/s",
                                        "--keys",
                                        dir.resolve("tty-keys").toString())
                                .toArray(String[]::new));
        try {
            until(
                    Duration.ofSeconds(60),
                    () -> run.err().chars().filter(c -> c == '\r').count() >= 3,
                    () -> "three progress updates; stderr: " + run.err());
        } finally {
            until(Duration.ofSeconds(10), () -> stop.get() != null, () -> "the stop signal registered");
            stop.get().run();
        }
        assertThat(run.exit().get(60, TimeUnit.SECONDS)).as(run.err()).isZero();
        String err = run.err();
        String progress = err.substring(err.indexOf('\r'));
        assertThat(progress).endsWith("\n");
        for (String update : progress.strip().split("\r")) {
            assertThat(update.strip()).matches(PROGRESS).startsWith("1 devices | ");
        }
        assertThat(run.out()).startsWith("simulated 1 devices for ").contains("{thermostat=1}");
        assertThat(batchesPublished(run.out())).isPositive();
    }

    @Test
    void badInputsAreOneLineAndStartNothing() throws Exception {
        Path keys = dir.resolve("bad-keys");
        assertThat(fails(1, simulateWith(dir.resolve("missing.offer"), "--devices", "1")))
                .isEqualTo("streembit: " + dir.resolve("missing.offer") + ": no such file");

        Path garbage = dir.resolve("garbage.offer");
        Files.writeString(garbage, "this is not an offer\n");
        assertThat(fails(1, simulateWith(garbage, "--devices", "1"))).startsWith("streembit: malformed: ");

        Identity device = Identity.generate(LocalDht.RANDOM);
        Path deviceOffer = dir.resolve("device.offer");
        Files.writeString(deviceOffer, ContactOffers.create(device, UserType.DEVICE, "127.0.0.1", 4000, "tcp", null));
        assertThat(fails(1, simulateWith(deviceOffer, "--devices", "1")))
                .isEqualTo("streembit: " + deviceOffer + " introduces a device, not a gateway; --gateway-offer needs"
                        + " the offer the gateway made (offer create --type gateway)");

        assertThat(fails(1, simulate("--devices", "1", "--kind", "toaster")))
                .isEqualTo("streembit: --kind must be one of thermostat, door-lock, energy-meter or mixed");
        assertThat(fails(1, simulate("--devices", "0"))).isEqualTo("streembit: --devices must be at least 1");
        assertThat(fails(1, simulate("--devices", "2", "--rate", "0"))).startsWith("streembit: --rate must be");
        assertThat(fails(1, simulate("--devices", "2", "--rate", "fast"))).startsWith("streembit: --rate must be");
        assertThat(fails(1, simulate("--devices", "2", "--batch", "0")))
                .isEqualTo("streembit: --batch must be at least 1");
        assertThat(fails(1, simulate("--devices", "2", "--duration", "0")))
                .isEqualTo("streembit: --duration must be at least 1 second");
        assertThat(fails(1, simulate("--devices", "2", "--seed", "nowhere")))
                .startsWith("streembit: --seed 'nowhere' has no port");
        assertThat(fails(1, simulate("--devices", "2", "--host", "0.0.0.0"))).startsWith("streembit: --host must be");
        assertThat(fails(1, simulate("--devices", "2", "--offers-out", garbage.toString())))
                .isEqualTo("streembit: " + garbage + ": not a directory");
        assertThat(fails(2, List.of("simulate", "--gateway-offer", gatewayOffer.toString())))
                .isEqualTo("streembit: Missing required option: '--devices=N' (see 'streembit simulate --help')");
        assertThat(fails(2, simulate("--devices", "many")))
                .startsWith("streembit: Invalid value for option '--devices'");

        // new keys: the key-file passcode policy, before anything is written
        CliRun.Result weak = cli().passcode("password")
                .run(simulate("--devices", "1", "--keys", keys.toString()).toArray(String[]::new));
        assertThat(weak.exit()).isEqualTo(1);
        assertThat(weak.errLines())
                .singleElement()
                .asString()
                .startsWith("streembit: weak-passcode: the passcode is too weak");
        assertThat(keys).doesNotExist();
        CliRun.Result none =
                cli().run(simulate("--devices", "1", "--keys", keys.toString()).toArray(String[]::new));
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.errLines())
                .containsExactly(
                        "streembit: no passcode: set STREEMBIT_PASSCODE, run in a terminal, or give it as a line on standard input");

        // existing keys (made here by `key new`): a wrong passcode is refused before the fleet starts
        Files.createDirectories(keys);
        CliRun.Result made = cli().passcode(PASSCODE)
                .run("key", "new", "--out", keys.resolve("device-0000.key").toString());
        assertThat(made.exit()).as(made.toString()).isZero();
        CliRun.Result wrong = cli().passcode("Another-Passcode-7")
                .run(simulate("--devices", "1", "--keys", keys.toString()).toArray(String[]::new));
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.errLines())
                .singleElement()
                .asString()
                .startsWith("streembit: wrong-passcode: the key file does not open with this passcode");
        assertThat(wrong.out()).isEmpty();
    }

    /** Runs a command that must fail with {@code exit}; returns its only stderr line. */
    static String fails(int exit, List<String> args) {
        CliRun.Result result = cli().passcode(PASSCODE).run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.toString()).isEqualTo(exit);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        return result.errLines().get(0);
    }
}
