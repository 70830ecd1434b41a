package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.Things;
import io.streembit.dht.DhtNode;
import io.streembit.dht.PutResult;
import io.streembit.dht.Subscription;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated thermostat answering commands as {@code DeviceAgent} does, without its buffer
 * and ledger: its harness node follows the gateway's command queue for it
 * ({@code DhtNode.subscribeLog} from seq 1, polled every {@value #POLL_SECONDS} s like a
 * device's), opens each record ({@link Commands#open}: the gateway signed it, it decrypts for
 * this device), checks the input against the thermostat's Thing Description, and appends the
 * next entry of its feed: one {@code $command-result} reading, ok with the target temperature as
 * output, chained to the entry before, signed by the device and encrypted for the gateway. The
 * crypto runs on a worker, not on the DHT node's event loop. The next command waits until the
 * result's entry is stored (retried as a device re-sends an unacknowledged entry).
 */
final class CommandResponder {
    static final int POLL_SECONDS = 5;
    static final String ACTION = "setTargetTemperature";
    private static final int STORE_ATTEMPTS = 6;
    private static final long ENTRY_TTL_SECONDS = 3600;
    private static final ThingDescription TD = Things.load("thermostat");

    /** Counts over all responders. */
    static final class Counters {
        final AtomicLong received = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong storeRetries = new AtomicLong();
        final AtomicLong storeFailures = new AtomicLong();
        final Map<String, Long> ignored = new ConcurrentHashMap<>();

        void ignored(String why) {
            ignored.merge(why, 1L, Long::sum);
        }
    }

    /** A sealed result entry and the stamps of the command it answers. */
    private record Answer(String token, CommandTimes.Stamps stamps) {}

    private final BenchDevice device;
    private final DhtNode node;
    private final Vertx vertx;
    private final PublicKey gateway;
    private final CommandTimes times;
    private final Counters counters;
    private final Commands commands = Commands.standard();
    private final FeedEntries entries = FeedEntries.standard();
    private FeedChain chain = FeedChain.genesis();
    private Subscription subscription;

    CommandResponder(
            BenchDevice device, DhtNode node, Vertx vertx, PublicKey gateway, CommandTimes times, Counters counters) {
        this.device = device;
        this.node = node;
        this.vertx = vertx;
        this.gateway = gateway;
        this.times = times;
        this.counters = counters;
    }

    /** One responder per device, each on the harness node that writes its feed; all subscribed. */
    static List<CommandResponder> startAll(
            List<BenchDevice> devices, BenchDht dht, PublicKey gateway, CommandTimes times, Counters counters) {
        List<CommandResponder> all = devices.stream()
                .map(d -> new CommandResponder(d, dht.nodes.get(d.writerNode), dht.vertx, gateway, times, counters))
                .toList();
        all.forEach(CommandResponder::start);
        return all;
    }

    void start() {
        subscription = node.subscribeLog(Commands.key(gateway, device.identity.publicKey()), 1, this::onRecord)
                .pollEvery(Duration.ofSeconds(POLL_SECONDS));
    }

    void stop() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** On the node's event loop; never fails (a failed future would bring the same record back). */
    private Future<Void> onRecord(VerifiedRecord record) {
        long received = WallClock.micros();
        counters.received.incrementAndGet();
        return vertx.executeBlocking(() -> answer(record, received), false)
                .compose(answer -> answer == null ? Future.<Void>succeededFuture() : store(answer, 1))
                .recover(e -> {
                    counters.ignored(e.getClass().getSimpleName() + ": " + e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** The sealed result entry, or null when the record is not a command this device answers. */
    private Answer answer(VerifiedRecord record, long received) {
        Command command;
        try {
            command = commands.open(record, device.identity, Set.of(gateway)::contains, Instant.now());
            TD.validateActionInput(command.action(), command.input());
        } catch (ProtocolException e) {
            counters.ignored(e.code().code());
            return null;
        }
        CommandTimes.Stamps stamps = times.of(command.id());
        stamps.device = device.index;
        stamps.received = received;
        JsonNode value = command.input() == null ? null : command.input().get("value");
        CommandResult result = CommandResult.ok(command.id(), DoubleNode.valueOf(value == null ? 0 : value.asDouble()));
        long now = System.currentTimeMillis();
        FeedEntry entry = chain.nextEntry(List.of(result.toReading(now)));
        String token = entries.seal(device.identity, gateway, entry, now / 1000, now / 1000 + ENTRY_TTL_SECONDS);
        chain = FeedChain.after(entry.n(), token);
        stamps.sealed = WallClock.micros();
        return new Answer(token, stamps);
    }

    private Future<Void> store(Answer answer, int attempt) {
        return device.writer
                .append(answer.token())
                .compose(
                        r -> {
                            if (r.stored() > 0) {
                                answer.stamps().stored = WallClock.micros();
                                counters.answered.incrementAndGet();
                                return Future.succeededFuture();
                            }
                            return again(answer, attempt, r);
                        },
                        e -> again(answer, attempt, null));
    }

    private Future<Void> again(Answer answer, int attempt, PutResult result) {
        if (attempt >= STORE_ATTEMPTS) {
            counters.storeFailures.incrementAndGet();
            return Future.failedFuture(new IllegalStateException("result entry not stored after " + attempt
                    + " attempts" + (result == null ? "" : ": " + Backlog.describe(result))));
        }
        counters.storeRetries.incrementAndGet();
        Promise<Void> later = Promise.promise();
        vertx.setTimer(100L << attempt, t -> store(answer, attempt + 1).onComplete(later));
        return later.future();
    }
}
