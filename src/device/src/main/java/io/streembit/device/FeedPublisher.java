package io.streembit.device;

import io.streembit.dht.LogWriter;
import io.streembit.dht.PutResult;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns closed batches into feed entries and keeps them in the network until acknowledged:
 * seals entry {@code n} (chain, encryption for the gateway, signature), writes it to the
 * {@link FeedBuffer} before anything is sent, appends it to the feed log, re-sends what the
 * gateway has not acknowledged, and applies the full policy. State lives on the agent's
 * context; sealing and file work run in order on a worker ({@code executeBlocking(ordered)}),
 * so the chain advances one entry at a time.
 */
final class FeedPublisher {
    private static final Logger LOG = Logger.getLogger(FeedPublisher.class.getName());
    /** Sendings in progress at once; more wait, oldest entry first. */
    static final int MAX_SENDS = 8;
    /** First-send tokens kept in memory; past this, a queued entry is read back from the buffer. */
    private static final int MAX_CACHED_TOKENS = 256;

    private record Waiting(Batcher.Batch batch, long timer) {}

    private final Vertx vertx;
    private final Context context;
    private final DeviceOptions options;
    private final FeedBuffer buffer;
    private final LogWriter writer;
    private final FeedEntries entries;
    private final Identity device;
    private final PublicKey gateway;
    private final Clock clock;
    private final DeviceCounters counters;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final TreeSet<Long> queued = new TreeSet<>();
    private final Set<Long> sending = new HashSet<>();
    private final Map<Long, String> cachedTokens = new HashMap<>();
    private final TreeMap<Long, Long> lastSentMillis = new TreeMap<>();
    private int sealing;
    private boolean stopped;

    FeedPublisher(
            Vertx vertx,
            Context context,
            DeviceOptions options,
            FeedBuffer buffer,
            LogWriter writer,
            FeedEntries entries,
            Clock clock,
            DeviceCounters counters) {
        this.vertx = vertx;
        this.context = context;
        this.options = options;
        this.buffer = buffer;
        this.writer = writer;
        this.entries = entries;
        this.device = options.identity();
        this.gateway = options.gateway().publicKey();
        this.clock = clock;
        this.counters = counters;
    }

    /** A closed batch from the batcher: sealed now, or queued behind earlier ones. */
    void accept(Batcher.Batch batch) {
        if (stopped) {
            batch.promises().forEach(p -> p.tryFail(new IllegalStateException("device agent stopped")));
            return;
        }
        long timer = -1;
        if (options.fullPolicy() == BufferFullPolicy.BLOCK) {
            long wait = options.bufferFullWait().toMillis();
            timer = vertx.setTimer(Math.max(1, wait), t -> expireWaiting(batch));
        }
        waiting.addLast(new Waiting(batch, timer));
        drain();
    }

    /** The gateway acknowledged every entry up to {@code n}. */
    void onAck(long n) {
        context.executeBlocking(() -> buffer.ack(n), true).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "cannot record ack " + n, ar.cause());
                return;
            }
            forgetThrough(buffer.released());
            drain();
        });
    }

    /**
     * Releases expired entries, then queues for re-sending the oldest unacknowledged entries
     * not sent within the republish interval (all of them after a restart), at most
     * {@code republishMaxEntries}.
     */
    void republish() {
        if (stopped) {
            return;
        }
        long nowSeconds = clock.instant().getEpochSecond();
        context.executeBlocking(() -> buffer.expire(nowSeconds), true).onComplete(ar -> {
            if (ar.succeeded() && ar.result() > 0) {
                counters.expiredEntries.addAndGet(ar.result());
                LOG.warning(() -> ar.result() + " feed entries expired unacknowledged");
                forgetThrough(buffer.released());
                drain();
            }
            long now = clock.millis();
            long interval = options.republishInterval().toMillis();
            List<FeedBuffer.Slot> due = buffer.select(
                    n -> !queued.contains(n)
                            && !sending.contains(n)
                            && now - lastSentMillis.getOrDefault(n, Long.MIN_VALUE / 2) >= interval,
                    options.republishMaxEntries());
            due.forEach(slot -> queued.add(slot.n()));
            pump();
        });
    }

    /** Number of batches waiting for buffer space (BLOCK) or for their turn to be sealed. */
    int waiting() {
        return waiting.size() + sealing;
    }

    /** Stops taking batches; those waiting fail. */
    void stop() {
        stopped = true;
        IllegalStateException cause = new IllegalStateException("device agent stopped");
        for (Waiting w : waiting) {
            vertx.cancelTimer(w.timer());
            w.batch().promises().forEach(p -> p.tryFail(cause));
        }
        waiting.clear();
    }

    private void drain() {
        while (!waiting.isEmpty() && !stopped) {
            boolean space = buffer.size() + sealing < options.bufferCapacity();
            if (!space && options.fullPolicy() == BufferFullPolicy.BLOCK) {
                return;
            }
            Waiting next = waiting.pollFirst();
            vertx.cancelTimer(next.timer());
            seal(next.batch());
        }
    }

    private void expireWaiting(Batcher.Batch batch) {
        Waiting found = null;
        for (Waiting w : waiting) {
            if (w.batch() == batch) {
                found = w;
                break;
            }
        }
        if (found == null) {
            return;
        }
        // a batch times out only after every earlier one did, so the chain order is kept
        waiting.remove(found);
        counters.bufferFullRejections.addAndGet(batch.readings().size());
        BufferFullException cause = new BufferFullException(
                options.bufferCapacity(), options.bufferFullWait().toMillis());
        batch.promises().forEach(p -> p.tryFail(cause));
    }

    private void seal(Batcher.Batch batch) {
        sealing++;
        boolean dropOldest = options.fullPolicy() == BufferFullPolicy.DROP_OLDEST;
        int capacity = options.bufferCapacity();
        long ttl = options.entryTtl().getSeconds();
        context.executeBlocking(
                        () -> {
                            long dropped = 0;
                            while (dropOldest && buffer.size() >= capacity && buffer.dropOldest() > 0) {
                                dropped++;
                            }
                            FeedEntry entry = buffer.chain().nextEntry(batch.readings());
                            long iat = clock.instant().getEpochSecond();
                            long exp = iat + ttl;
                            String token = entries.seal(device, gateway, entry, iat, exp);
                            buffer.append(entry.n(), exp, token);
                            return new Sealed(entry.n(), token, dropped);
                        },
                        true)
                .onComplete(ar -> {
                    sealing--;
                    if (ar.failed()) {
                        LOG.log(Level.SEVERE, "cannot seal or buffer a feed entry", ar.cause());
                        batch.promises().forEach(p -> p.tryFail(ar.cause()));
                        return;
                    }
                    Sealed sealed = ar.result();
                    if (sealed.dropped() > 0) {
                        counters.droppedEntries.addAndGet(sealed.dropped());
                        forgetThrough(buffer.released());
                    }
                    counters.entriesSealed.incrementAndGet();
                    counters.readingsPublished.addAndGet(batch.readings().size());
                    for (Promise<Long> p : batch.promises()) {
                        p.tryComplete(sealed.n());
                    }
                    if (!stopped) {
                        if (cachedTokens.size() < MAX_CACHED_TOKENS) {
                            cachedTokens.put(sealed.n(), sealed.token());
                        }
                        queued.add(sealed.n());
                        pump();
                    }
                    drain();
                });
    }

    private record Sealed(long n, String token, long dropped) {}

    /** Starts sendings, oldest queued entry first, up to {@link #MAX_SENDS} at once. */
    private void pump() {
        while (!stopped && sending.size() < MAX_SENDS && !queued.isEmpty()) {
            long n = queued.pollFirst();
            sending.add(n);
            String cached = cachedTokens.remove(n);
            Future<String> token = cached != null
                    ? Future.succeededFuture(cached)
                    : context.executeBlocking(() -> buffer.token(n), true);
            boolean first = !lastSentMillis.containsKey(n) && cached != null;
            token.compose(t -> t == null ? Future.<PutResult>succeededFuture(null) : writer.append(t))
                    .onComplete(ar -> {
                        sending.remove(n);
                        if (ar.succeeded() && ar.result() == null) {
                            pump();
                            return; // released meanwhile
                        }
                        if (n > buffer.released()) {
                            lastSentMillis.put(n, clock.millis());
                        }
                        if (ar.succeeded() && remoteStored(ar.result()) > 0) {
                            (first ? counters.entriesSent : counters.entriesRepublished).incrementAndGet();
                        } else {
                            counters.sendFailures.incrementAndGet();
                            LOG.fine(() -> "feed entry " + n + " reached no node; it is re-sent later");
                        }
                        pump();
                    });
        }
    }

    /**
     * Nodes other than this device's own that took the entry: an entry kept only by the device's
     * own node (alone in the network) has not been published.
     */
    static int remoteStored(PutResult result) {
        int failed =
                result.errors().values().stream().mapToInt(Integer::intValue).sum();
        return Math.max(0, result.nodes().size() - failed);
    }

    private void forgetThrough(long released) {
        lastSentMillis.headMap(released, true).clear();
        queued.headSet(released, true).clear();
        cachedTokens.keySet().removeIf(n -> n <= released);
    }
}
