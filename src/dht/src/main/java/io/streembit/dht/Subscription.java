package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.store.LogPage;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A live interest in one key. It SUBSCRIBEs on the key's storing nodes (renewing before the
 * ttl ends), treats every NOTIFY as a hint, and fetches what it misses, so each seq reaches
 * the handler exactly once and in order: duplicates from several replicas are dropped, gaps are
 * filled by fetching pages, and a slow poll catches anything a lost notification would hide.
 * Log records notified while the handler is busy are held (a few per subscription) and
 * delivered from memory when their turn comes: dropping them meant fetching and verifying each
 * one again, which under a steady stream was about once per entry.
 * A handler whose future fails gets the same record again at the next poll.
 */
public final class Subscription {
    /** Receives records; the next one waits until the returned future completes. */
    public interface Handler {
        Future<Void> onRecord(VerifiedRecord record);
    }

    static final long TTL_SECONDS = 300;
    static final int PAGE = 64;
    /** How often to poll even without notifications (default 10 s; settable per subscription). */
    static final Duration DEFAULT_POLL = Duration.ofSeconds(10);
    /** Longest time between two lookups of a log's holders while polls find nothing new. */
    static final Duration LOOKUP_FALLBACK = Duration.ofSeconds(30);
    /** Notified log records kept while busy; beyond it they are fetched again when needed. */
    static final int HELD = 16;

    private final DhtNode node;
    private final NodeId key;
    private final boolean log;
    private final Handler handler;
    private long nextSeq;
    private List<Contact> holders = List.of();
    private boolean busy;
    private boolean again;
    private boolean cancelled;
    private long pollTimer = -1;
    private long renewTimer = -1;
    private Duration pollInterval = DEFAULT_POLL;
    private long lastLookupMillis;
    private final TreeMap<Long, VerifiedRecord> held = new TreeMap<>();

    Subscription(DhtNode node, NodeId key, boolean log, long fromSeq, Handler handler) {
        this.node = node;
        this.key = key;
        this.log = log;
        this.nextSeq = fromSeq;
        this.handler = handler;
    }

    public NodeId key() {
        return key;
    }

    /** The next seq this subscription will deliver. */
    public long nextSeq() {
        return nextSeq;
    }

    /** Changes the fallback poll interval (takes effect at the next poll). */
    public Subscription pollEvery(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    void start() {
        renew();
        schedulePoll();
    }

    public void cancel() {
        node.onContext(() -> {
            cancelled = true;
            node.vertx().cancelTimer(pollTimer);
            node.vertx().cancelTimer(renewTimer);
            node.unsubscribe(this);
            return Future.succeededFuture();
        });
    }

    private void renew() {
        if (cancelled) {
            return;
        }
        node.queries().findNode(key).onComplete(ar -> {
            if (cancelled) {
                return;
            }
            if (ar.succeeded()) {
                int r = log ? node.options().logReplication() : node.options().slotReplication();
                List<Contact> closest = ar.result().closest();
                holders = new ArrayList<>(closest.subList(0, Math.min(r, closest.size())));
                ObjectNode body = Json.object();
                body.put("key", key.hex());
                body.put("ttl", TTL_SECONDS);
                for (Contact c : holders) {
                    node.transport().request(c, Op.SUBSCRIBE, body);
                }
            }
            catchUp();
            renewTimer = node.vertx().setTimer(TTL_SECONDS * 1000 / 2, t -> renew());
        });
    }

    private void schedulePoll() {
        pollTimer = node.vertx().setTimer(pollInterval.toMillis(), t -> {
            if (!cancelled) {
                catchUp();
                schedulePoll();
            }
        });
    }

    void onNotify(VerifiedRecord record) {
        if (cancelled || record.seq() < nextSeq) {
            return;
        }
        if (!busy && (log ? record.seq() == nextSeq : record.seq() >= nextSeq)) {
            busy = true;
            deliver(List.of(record), 0).onComplete(ar -> finish());
        } else if (busy && log && hold(record)) {
            return;
        } else {
            catchUp();
        }
    }

    /** Keeps a notified log record for later; false when there is no room (it will be fetched). */
    private boolean hold(VerifiedRecord record) {
        if (held.containsKey(record.seq())) {
            return true;
        }
        if (held.size() >= HELD) {
            return false;
        }
        held.put(record.seq(), record);
        return true;
    }

    private void catchUp() {
        if (cancelled) {
            return;
        }
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        List<VerifiedRecord> inHand = takeHeld();
        if (!inHand.isEmpty()) {
            deliver(inHand, 0).onComplete(ar -> finish());
            return;
        }
        Future<List<VerifiedRecord>> fetched = log
                ? fetchLog()
                : node.get(key)
                        .map(r ->
                                r.filter(v -> v.seq() >= nextSeq).map(List::of).orElse(List.of()));
        fetched.compose(records -> deliver(records, 0).map(records.size())).onComplete(ar -> {
            // a page may hold fewer than PAGE entries and still not be the end: the holder
            // cuts it at the frame size (about 30 feed entries of 2 KB), so any entries mean ask again
            if (ar.succeeded() && log && ar.result() > 0) {
                again = true;
            }
            finish();
        });
    }

    /**
     * The held records that continue from {@code nextSeq}, in order, removed from the buffer
     * (older ones are dropped); empty when the next one is not held. A record whose delivery
     * fails is fetched again at the next poll, like any other.
     */
    private List<VerifiedRecord> takeHeld() {
        held.headMap(nextSeq).clear();
        List<VerifiedRecord> run = new ArrayList<>();
        long expected = nextSeq;
        while (!held.isEmpty() && held.firstKey() == expected) {
            run.add(held.pollFirstEntry().getValue());
            expected++;
        }
        return run;
    }

    private void finish() {
        busy = false;
        if (cancelled) {
            return;
        }
        held.headMap(nextSeq).clear();
        // anything still held is either next (delivered from memory) or past a gap (fetched)
        if (again || !held.isEmpty()) {
            again = false;
            catchUp();
        }
    }

    /**
     * Asks the known holders first. A full lookup (the network may have moved the key to other
     * nodes) only when no holder answered, or at most every {@link #LOOKUP_FALLBACK}: a poll that
     * finds nothing new is the common case, and a lookup per poll per subscription was most of a
     * gateway's DHT traffic.
     */
    private Future<List<VerifiedRecord>> fetchLog() {
        boolean[] answered = {false};
        return fetchFromHolder(0, answered)
                .compose(page -> {
                    long now = node.clock().millis();
                    if (page.entries().isEmpty()
                            && (!answered[0] || now - lastLookupMillis >= LOOKUP_FALLBACK.toMillis())) {
                        lastLookupMillis = now;
                        return node.getLog(key, nextSeq, PAGE).onSuccess(found -> {
                            if (!found.entries().isEmpty()) {
                                // the entries are on nodes we do not ask (holders found before the node had
                                // joined, or the network moved the key): find the holders again now
                                node.vertx().cancelTimer(renewTimer);
                                renew();
                            }
                        });
                    }
                    return Future.succeededFuture(page);
                })
                .map(LogPage::entries);
    }

    private Future<LogPage> fetchFromHolder(int index, boolean[] answered) {
        if (index >= holders.size()) {
            return Future.succeededFuture(LogPage.EMPTY);
        }
        return node.queries()
                .fetchLog(holders.get(index), key, nextSeq, PAGE)
                .onSuccess(page -> answered[0] = true)
                .recover(e -> Future.succeededFuture(LogPage.EMPTY))
                .compose(page ->
                        !page.entries().isEmpty() && page.entries().get(0).seq() == nextSeq
                                ? Future.succeededFuture(page)
                                : fetchFromHolder(index + 1, answered));
    }

    /** Delivers records in order while each is exactly the next one expected. */
    private Future<Void> deliver(List<VerifiedRecord> records, int index) {
        if (cancelled || index >= records.size()) {
            return Future.succeededFuture();
        }
        VerifiedRecord record = records.get(index);
        if (log ? record.seq() != nextSeq : record.seq() < nextSeq) {
            return Future.succeededFuture();
        }
        Future<Void> handled;
        try {
            handled = handler.onRecord(record);
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        return handled.compose(v -> {
            nextSeq = record.seq() + 1;
            return deliver(records, index + 1);
        });
    }
}
