package io.streembit.gateway.ingest;

import io.streembit.dht.DhtNode;
import io.streembit.dht.Subscription;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Follows one served device's feed from its cursor: the DHT subscription hands over each entry
 * once and in order, the follower opens it off the event loop ({@link BatchOpener}), routes it
 * ({@link BatchSink}) and only then moves its chain on and acknowledges. A sink failure retries
 * the same batch with exponential back-off while the subscription waits, so order is kept and
 * nothing is skipped; a refused entry is quarantined ({@link IngestEvents#quarantine}) before
 * the follower moves past it. A periodic head check reports gaps (entries missing while later
 * ones are stored) without skipping them, and the feed's head for the lag.
 */
public final class FeedFollower {
    private final DhtNode node;
    private final Vertx vertx;
    private final IngestTimers timers;
    private final ServedDevice device;
    private final NodeId feedKey;
    private final BatchOpener opener;
    private final BatchSink sink;
    private final IngestEvents events;
    private final InFlightLimit limit;
    private final IngestOptions options;
    private final Clock clock;
    private final AckPublisher acks;
    private volatile FeedChain chain;
    private volatile boolean stopped;
    private volatile boolean handling;
    private volatile Future<Void> inFlight = Future.succeededFuture();
    // the back-off wait before the next attempt, cancelled by stop() so a stopped follower drains at once
    private long backoffTimer = -1;
    private Promise<Void> backoff;
    private Subscription subscription;
    private long headTimer = -1;
    private long seqAtLastCheck = -1;
    private long reportedGapFrom = -1;

    public FeedFollower(
            DhtNode node,
            Vertx vertx,
            Identity gateway,
            ServedDevice device,
            BatchOpener opener,
            BatchSink sink,
            IngestEvents events,
            InFlightLimit limit,
            IngestOptions options,
            Clock clock) {
        this(node, vertx, IngestTimers.of(vertx), gateway, device, opener, sink, events, limit, options, clock);
    }

    /** {@code timers}: the retry back-off, the head checks and the acks' interval (Vert.x timers in the gateway). */
    FeedFollower(
            DhtNode node,
            Vertx vertx,
            IngestTimers timers,
            Identity gateway,
            ServedDevice device,
            BatchOpener opener,
            BatchSink sink,
            IngestEvents events,
            InFlightLimit limit,
            IngestOptions options,
            Clock clock) {
        this.node = node;
        this.vertx = vertx;
        this.timers = timers;
        this.device = device;
        this.feedKey = FeedEntries.key(device.publicKey());
        this.opener = opener;
        this.sink = sink;
        this.events = events;
        this.limit = limit;
        this.options = options;
        this.clock = clock;
        this.chain = device.chain();
        this.acks =
                new AckPublisher(node, timers, gateway, device.id(), device.cursorSeq(), options.ackInterval(), clock);
    }

    public synchronized void start() {
        subscription =
                node.subscribeLog(feedKey, chain.lastN() + 1, this::onRecord).pollEvery(options.pollInterval());
        long every = Math.max(1_000, options.gapAlertAfter().toMillis());
        headTimer = timers.setPeriodic(every, this::checkHead);
        timers.setTimer(1, this::checkHead); // the lag is right soon after a restart, not one period later
        acks.start();
    }

    public synchronized void stop() {
        stopped = true;
        if (subscription != null) {
            subscription.cancel();
        }
        timers.cancelTimer(headTimer);
        if (backoff != null) { // waiting to try again: the wait ends now, so the follower drains at once
            timers.cancelTimer(backoffTimer);
            backoff.tryFail(new IllegalStateException("follower stopped"));
            backoff = null;
        }
        acks.stop();
    }

    /**
     * Stops, and completes once the entry in hand (if any) is finished: committed, or failed and
     * given up. A shard's owner waits for this before it hands the shard over.
     */
    public Future<Void> stopAndDrain() {
        stop();
        return inFlight.otherwiseEmpty();
    }

    public ServedDevice device() {
        return device;
    }

    /** The last entry routed (or quarantined) and committed. */
    public long cursor() {
        return chain.lastN();
    }

    private Future<Void> onRecord(VerifiedRecord record) {
        if (stopped) {
            return Future.failedFuture(new IllegalStateException("follower stopped"));
        }
        handling = true;
        Future<Void> done = limit.acquire()
                .compose(v -> process(record).onComplete(ar -> limit.release()))
                .onComplete(ar -> handling = false);
        inFlight = done;
        return done;
    }

    /** An opened entry, and its first delivery when it is a batch (else null). */
    private record Opening(BatchOpener.Outcome outcome, Future<Void> delivered) {}

    private Future<Void> process(VerifiedRecord record) {
        FeedChain current = chain;
        return vertx.executeBlocking(
                        () -> {
                            BatchOpener.Outcome outcome = opener.open(device, record, current, clock.instant());
                            // the first delivery starts on this worker: back to the event loop and out to a worker
                            // again cost two thread hand-overs per batch
                            Future<Void> delivered =
                                    outcome instanceof BatchOpener.Opened opened ? attempt(opened.batch()) : null;
                            return new Opening(outcome, delivered);
                        },
                        false)
                .compose(opening -> {
                    BatchOpener.Outcome outcome = opening.outcome();
                    if (outcome instanceof BatchOpener.Opened opened) {
                        return retrying(
                                        opened.batch().seq(),
                                        opening.delivered(),
                                        () -> attempt(opened.batch()),
                                        options.retryInitial())
                                .onSuccess(v -> {
                                    advance(opened.next());
                                    events.committed(opened.batch());
                                });
                    }
                    if (outcome instanceof BatchOpener.Refused refused) {
                        Supplier<Future<Void>> quarantine = () -> events.quarantine(
                                device, record.seq(), refused.rejection(), record.token(), refused.next());
                        return retrying(record.seq(), tried(quarantine), quarantine, options.retryInitial())
                                .onSuccess(v -> advance(refused.next()));
                    }
                    events.duplicate(device, record.seq());
                    return Future.succeededFuture();
                });
    }

    private void advance(FeedChain next) {
        chain = next;
        acks.committed(next.lastN());
    }

    private Future<Void> attempt(VerifiedBatch batch) {
        return tried(() -> sink.deliver(batch));
    }

    private static Future<Void> tried(Supplier<Future<Void>> attempt) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Waits for {@code tried}, then tries {@code again} until it succeeds or the follower stops,
     * doubling the delay each time. A stopped follower tries nothing more; a {@link NoLongerServed}
     * failure stops the follower.
     */
    private Future<Void> retrying(long seq, Future<Void> tried, Supplier<Future<Void>> again, Duration delay) {
        return tried.recover(cause -> {
            if (cause instanceof NoLongerServed) {
                stop(); // another replica owns the device now: retrying here cannot succeed
            }
            if (stopped) {
                return Future.failedFuture(cause);
            }
            events.deliveryFailed(device, seq, cause, delay);
            Promise<Void> later = Promise.promise();
            Duration next = delay.multipliedBy(2).compareTo(options.retryMax()) > 0
                    ? options.retryMax()
                    : delay.multipliedBy(2);
            synchronized (this) {
                if (stopped) {
                    return Future.failedFuture(cause);
                }
                backoff = later;
                backoffTimer = timers.setTimer(Math.max(1, delay.toMillis()), () -> {
                    synchronized (this) {
                        if (backoff != later) {
                            return; // stop() ended this wait already
                        }
                        backoff = null;
                    }
                    if (stopped) {
                        // stopped while waiting (revoked, shutting down): no further try; the permit is freed
                        later.tryFail(cause);
                    } else {
                        retrying(seq, tried(again), again, next).onComplete(later);
                    }
                });
            }
            return later.future();
        });
    }

    /**
     * Asks the storing nodes for the entry the follower waits for. No progress since the last
     * check, nothing in hand, and the log holding later entries but not that one: a gap, reported
     * once per missing start. The follower keeps waiting there: devices re-send what is not
     * acknowledged, and skipping would hide lost data.
     */
    private void checkHead() {
        if (stopped) {
            return;
        }
        long next = chain.lastN() + 1;
        boolean stuck = !handling && next == seqAtLastCheck;
        seqAtLastCheck = next;
        node.getLog(feedKey, next, 1).onSuccess(page -> {
            if (page.head() >= 0) {
                events.head(device, page.head());
            }
            if (!stuck || stopped || page.head() < next || chain.lastN() + 1 != next) {
                return;
            }
            long firstPresent = page.entries().isEmpty()
                    ? page.head() + 1
                    : page.entries().get(0).seq();
            if (firstPresent > next && reportedGapFrom != next) {
                reportedGapFrom = next;
                events.gap(device, next, firstPresent - 1);
            }
        });
    }
}
