package io.streembit.device;

import io.streembit.dht.DhtNode;
import io.streembit.dht.LogWriter;
import io.streembit.dht.PutResult;
import io.streembit.dht.Subscription;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Ack;
import io.streembit.protocol.feed.ChainStep;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.streembit.device.TestNetwork.await;

/**
 * A stand-in for the gateway, built only from the DHT client API and the protocol module: it
 * follows a device's feed, opens each entry with the gateway key, checks the hash chain,
 * publishes the ack record, and appends commands to its queue for the device.
 */
final class TestGateway {
    final Identity identity;
    final DhtNode node;
    private final Map<PublicKey, AtomicLong> commandSeqs = new ConcurrentHashMap<>();

    TestGateway(TestNetwork net) throws Exception {
        this.identity = Identity.generate(TestNetwork.RANDOM);
        this.node = net.add(identity);
    }

    VerifiedContactOffer offer() throws ProtocolException {
        return ContactOffers.parse(
                ContactOffers.create(identity, UserType.GATEWAY, "127.0.0.1", node.port(), "tcp", null));
    }

    /** What the gateway saw of one device's feed. */
    final class Feed {
        final PublicKey device;
        final List<FeedEntry> entries = new CopyOnWriteArrayList<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<Reading> readings = new CopyOnWriteArrayList<>();
        final Map<String, List<CommandResult>> results = new ConcurrentHashMap<>();
        /** Anything that is not a linked next entry: stale (duplicate), gap, fork, unreadable. */
        final List<String> problems = new CopyOnWriteArrayList<>();

        volatile boolean acking;
        private volatile FeedChain chain = FeedChain.genesis();
        private Subscription subscription;

        Feed(PublicKey device, boolean acking) {
            this.device = device;
            this.acking = acking;
        }

        private Future<Void> onRecord(VerifiedRecord record) {
            FeedEntry entry;
            try {
                entry = FeedEntries.standard().open(record, identity);
                ChainStep step = chain.append(entry, record.token());
                if (!(step instanceof ChainStep.Linked linked)) {
                    problems.add(step.toString());
                    return Future.succeededFuture();
                }
                chain = linked.chain();
            } catch (ProtocolException e) {
                problems.add(e.code().code() + ": " + e.getMessage());
                return Future.succeededFuture();
            }
            entries.add(entry);
            tokens.add(record.token());
            for (Reading r : entry.readings()) {
                if (r.name().equals(CommandResult.READING_NAME)) {
                    try {
                        CommandResult result = CommandResult.fromReading(r);
                        results.computeIfAbsent(result.id(), k -> new CopyOnWriteArrayList<>())
                                .add(result);
                    } catch (ProtocolException e) {
                        problems.add("bad result: " + e.getMessage());
                    }
                } else {
                    readings.add(r);
                }
            }
            return acking ? ack(device, entry.n()).mapEmpty() : Future.succeededFuture();
        }

        long lastN() {
            return chain.lastN();
        }

        CommandResult result(String id) {
            List<CommandResult> list = results.get(id);
            return list == null || list.isEmpty() ? null : list.get(0);
        }

        void stop() {
            subscription.cancel();
        }
    }

    /** Follows {@code device}'s feed from entry 1, acknowledging each entry when {@code acking}. */
    Feed follow(PublicKey device, boolean acking) {
        Feed feed = new Feed(device, acking);
        feed.subscription =
                node.subscribeLog(FeedEntries.key(device), 1, feed::onRecord).pollEvery(Duration.ofMillis(500));
        return feed;
    }

    /** Publishes the ack record of entry {@code n} for {@code device}, as the gateway does. */
    Future<PutResult> ack(PublicKey device, long n) {
        long now = System.currentTimeMillis() / 1000;
        return node.put(new Ack(n).sign(identity, device.nodeId().hex(), now, now + 3600));
    }

    /** Appends {@code command} to this gateway's queue for {@code device}; returns its seq. */
    long send(PublicKey device, Command command) throws Exception {
        long seq = commandSeqs.computeIfAbsent(device, d -> new AtomicLong()).incrementAndGet();
        appendRaw(
                device,
                seq,
                Commands.standard().seal(identity, device, seq, command, System.currentTimeMillis() / 1000));
        return seq;
    }

    /** Appends an arbitrary signed token at the next seq of the queue for {@code device}. */
    long appendNext(PublicKey device, String token) throws Exception {
        long seq = commandSeqs.computeIfAbsent(device, d -> new AtomicLong()).incrementAndGet();
        appendRaw(device, seq, token);
        return seq;
    }

    long nextSeq(PublicKey device) {
        return commandSeqs.computeIfAbsent(device, d -> new AtomicLong()).get() + 1;
    }

    private void appendRaw(PublicKey device, long seq, String token) throws Exception {
        LogWriter writer = node.logWriter(Commands.key(identity.publicKey(), device));
        PutResult result = await(writer.append(token));
        if (!result.succeeded()) {
            throw new IllegalStateException("command " + seq + " not stored: " + result.errors());
        }
    }

    static Command command(String id, String action, com.fasterxml.jackson.databind.JsonNode input, long ttlSeconds) {
        return new Command(id, action, input, System.currentTimeMillis() / 1000 + ttlSeconds);
    }
}
