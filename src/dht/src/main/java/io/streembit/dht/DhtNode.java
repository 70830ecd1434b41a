package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.lookup.Lookup;
import io.streembit.dht.lookup.RttEstimator;
import io.streembit.dht.lookup.RttPacing;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.rpc.FindNodeHandler;
import io.streembit.dht.rpc.FindValueHandler;
import io.streembit.dht.rpc.NotifyHandler;
import io.streembit.dht.rpc.PingHandler;
import io.streembit.dht.rpc.RpcHandler;
import io.streembit.dht.rpc.StoreHandler;
import io.streembit.dht.rpc.SubscribeHandler;
import io.streembit.dht.rpc.SubscriberRegistry;
import io.streembit.dht.store.DiskRecordStore;
import io.streembit.dht.store.LogPage;
import io.streembit.dht.store.MemoryRecordStore;
import io.streembit.dht.store.RecordStore;
import io.streembit.dht.transport.Transport;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Streembit DHT node. All state lives on one Vert.x event-loop context; the public methods
 * may be called from any thread and hop onto it. Create with {@link #start}, then
 * {@link #bootstrap} into the network.
 */
public final class DhtNode {
    private static final Logger LOG = Logger.getLogger(DhtNode.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final Identity identity;
    private final DhtOptions options;
    private final Clock clock;
    private final DhtMetrics metrics;
    private final RoutingTable table;
    private final RecordStore store;
    private final RecordValidator validator;
    private final SubscriberRegistry subscribers;
    private volatile Consumer<VerifiedRecord> storeObserver = record -> {};
    private final Map<NodeId, List<Subscription>> subscriptions = new HashMap<>();
    private final Map<Op, RpcHandler> handlers = new EnumMap<>(Op.class);
    private final Random random = new Random();
    private final Transport transport;
    private final Queries queries;
    private final Maintenance maintenance;
    private int port;

    private DhtNode(
            Vertx vertx,
            Context context,
            Identity identity,
            DhtOptions options,
            RecordLimits recordLimits,
            RecordStore store,
            Clock clock,
            DhtMetrics metrics) {
        this.vertx = vertx;
        this.context = context;
        this.identity = identity;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
        this.table = new RoutingTable(identity.nodeId(), options.k(), clock.millis());
        this.subscribers = new SubscriberRegistry(
                options.limits().subscriptionsPerPeer(), options.limits().subscriptions());
        this.validator = new RecordValidator(
                recordLimits, options.privateNetwork() ? options.allowList()::contains : pub -> true);
        this.store = store != null
                ? store
                : options.dataDir() != null
                        ? DiskRecordStore.open(
                                options.dataDir(), options.retention(), identity.nodeId(), validator, clock)
                        : new MemoryRecordStore(options.retention(), identity.nodeId());
        this.transport = new Transport(vertx, context, identity, options, clock, metrics, new Transport.Handler() {
            @Override
            public Future<ObjectNode> handle(Contact from, Envelope.Request request) {
                return handlers.get(request.op()).handle(from, request.body());
            }

            @Override
            public void peerSeen(Contact peer) {
                onPeerSeen(peer);
            }
        });
        Verification verification = new Verification(vertx, options.verifyOnWorkers());
        RttEstimator rtt =
                new RttEstimator(options.patience().floor(), options.patience().initial(), options.requestTimeout());
        Lookup.Pacing pacing = new RttPacing(rtt, System::nanoTime, transport::connected, (millis, action) -> {
            long timer = vertx.setTimer(millis, t -> action.run());
            return () -> vertx.cancelTimer(timer);
        });
        this.queries = new Queries(
                transport,
                table,
                validator,
                clock,
                options,
                metrics,
                c -> table.touch(c, clock.millis()),
                this::onPeerFailed,
                verification,
                pacing);
        this.maintenance = new Maintenance(this);
        handlers.put(Op.PING, new PingHandler());
        handlers.put(Op.FIND_NODE, new FindNodeHandler(table));
        handlers.put(Op.FIND_VALUE, new FindValueHandler(table, this.store, options.maxFrameBytes()));
        handlers.put(
                Op.STORE,
                new StoreHandler(
                        this.store,
                        validator,
                        clock,
                        this::notifySubscribers,
                        table,
                        options.storeForOthers(),
                        options.storeRank()));
        handlers.put(Op.SUBSCRIBE, new SubscribeHandler(subscribers, this.store, clock));
        handlers.put(Op.NOTIFY, new NotifyHandler(validator, clock, this::onNotified, verification));
    }

    /** Starts a node listening on {@code options.host():options.port()}. */
    public static Future<DhtNode> start(Vertx vertx, Identity identity, DhtOptions options) {
        return start(vertx, identity, options, RecordLimits.DEFAULTS, null, Clock.systemUTC(), DhtMetrics.NOOP);
    }

    /** Starts a node; {@code store} null means memory, or disk when {@code options.dataDir()} is set. */
    public static Future<DhtNode> start(
            Vertx vertx,
            Identity identity,
            DhtOptions options,
            RecordLimits recordLimits,
            RecordStore store,
            Clock clock,
            DhtMetrics metrics) {
        Context context = vertx.getOrCreateContext();
        Promise<DhtNode> started = Promise.promise();
        context.runOnContext(v -> {
            try {
                DhtNode node = new DhtNode(vertx, context, identity, options, recordLimits, store, clock, metrics);
                node.transport
                        .listen()
                        .onSuccess(p -> {
                            node.port = p;
                            node.maintenance.start();
                        })
                        .map(p -> node)
                        .onComplete(started);
            } catch (RuntimeException e) {
                started.fail(e);
            }
        });
        return started.future();
    }

    /**
     * Joins the network through seeds, looks itself up to fill its table, then refreshes the
     * empty buckets farther than its closest neighbour (see {@link #fillFarBuckets}).
     */
    public Future<Integer> bootstrap(List<HostPort> seeds) {
        return onContext(() -> {
            List<Future<?>> dials = new ArrayList<>();
            for (HostPort seed : seeds) {
                dials.add(transport.connect(seed.host(), seed.port()).compose(c -> c.request(Op.PING, Json.object())));
            }
            return Future.join(dials)
                    .otherwiseEmpty()
                    .compose(v -> table.size() == 0 && !seeds.isEmpty()
                            ? Future.failedFuture(new ProtocolException(ErrorCode.NOT_ALLOWED, "no seed answered"))
                            : queries.findNode(identity.nodeId())
                                    .compose(this::fillFarBuckets)
                                    .map(filled -> table.size()));
        });
    }

    /**
     * Kademlia's join also refreshes the buckets farther than the closest neighbour: the
     * self-lookup only meets nodes near our own id, and a bucket left empty means no route into
     * that part of the id space until the hourly refresh (in a simulated 10,000-node network,
     * 3% of lookups then missed the closest node). Only empty buckets are looked up, in parallel:
     * the simulation found that as good as refreshing them all, at a third of the cost.
     */
    private Future<Void> fillFarBuckets(Lookup.Result<Void> self) {
        if (self.closest().isEmpty()) {
            return Future.succeededFuture();
        }
        long now = clock.millis();
        List<Future<?>> refreshes = new ArrayList<>();
        for (int i = identity.nodeId().bucketIndex(self.closest().get(0).id()) + 1; i < RoutingTable.ID_BITS; i++) {
            if (table.bucketSize(i) == 0) {
                table.markRefreshed(i, now);
                refreshes.add(queries.findNode(table.randomIdInBucket(i, random)));
            }
        }
        return Future.join(refreshes).otherwiseEmpty().mapEmpty();
    }

    /** The k closest live nodes to {@code target}. */
    public Future<List<Contact>> findNode(NodeId target) {
        return onContext(() -> queries.findNode(target).map(Lookup.Result::closest));
    }

    /** A finished lookup with its hop count (for the simulation harness). */
    public Future<Lookup.Result<Void>> lookup(NodeId target) {
        return onContext(() -> queries.findNode(target));
    }

    /**
     * Validates {@code token} and stores it on the nodes closest to its key (slot or log
     * replication factor), this node included when it is one of them.
     */
    public Future<PutResult> put(String token) {
        return onContext(() -> {
            VerifiedRecord record;
            try {
                record = verify(token);
            } catch (ProtocolException e) {
                return Future.failedFuture(e);
            }
            maintenance.remember(record);
            return replicate(record, null);
        });
    }

    /** Stores an already verified record on its closest nodes; {@code known} skips the lookup. */
    Future<PutResult> replicate(VerifiedRecord record, List<Contact> known) {
        int r = record.isLog() ? options.logReplication() : options.slotReplication();
        // a put stores on the union of the first r of each disjoint path (DhtOptions.disjointPaths)
        Future<List<Contact>> targets = known != null
                ? Future.succeededFuture(known.size() > r ? known.subList(0, r) : known)
                : queries.storingNodes(record.key(), r);
        return targets.compose(chosen -> {
            Comparator<Contact> nearer = RoutingTable.byDistanceTo(record.key());
            long closerThanSelf = chosen.stream()
                    .filter(c -> nearer.compare(c, contact()) < 0)
                    .count();
            boolean selfAmongClosest = closerThanSelf < r;
            int local = 0;
            String localError = null;
            if (selfAmongClosest) {
                try {
                    if (store.put(record) == io.streembit.protocol.record.StoreDecision.STORE) {
                        notifySubscribers(record);
                    }
                    local = 1;
                } catch (ProtocolException e) {
                    // our own copy refuses it like any storing node would (seq-too-low, fork):
                    // tallied with the others' answers, not a failure of the whole put
                    localError = e.code().code();
                }
            }
            int selfStored = local;
            String selfError = localError;
            return queries.storeAt(chosen, record).map(res -> {
                Map<String, Integer> errors = res.errors();
                if (selfError != null) {
                    errors = new java.util.TreeMap<>(errors);
                    errors.merge(selfError, 1, Integer::sum);
                }
                return new PutResult(res.stored() + selfStored, errors, res.nodes());
            });
        });
    }

    /** The freshest valid record under {@code key} (slot value, or log head); repairs stale replicas. */
    public Future<Optional<VerifiedRecord>> get(NodeId key) {
        return onContext(() -> queries.findValue(key).map(result -> {
            VerifiedRecord best = store.latest(key).orElse(null);
            for (Lookup.Found<Queries.Values> found : result.values()) {
                for (VerifiedRecord r : found.value().records()) {
                    if (best == null || r.seq() > best.seq()) {
                        best = r;
                    }
                }
            }
            if (best != null && !best.isLog()) {
                repair(best, result);
            }
            return Optional.ofNullable(best);
        }));
    }

    private void repair(VerifiedRecord freshest, Lookup.Result<Queries.Values> result) {
        List<Contact> stale = new ArrayList<>();
        Map<NodeId, Long> seen = new HashMap<>();
        for (Lookup.Found<Queries.Values> f : result.values()) {
            f.value().records().forEach(r -> seen.merge(f.from().id(), r.seq(), Math::max));
        }
        List<Contact> closest = result.closest();
        for (Contact c : closest.subList(0, Math.min(options.slotReplication(), closest.size()))) {
            if (seen.getOrDefault(c.id(), -1L) < freshest.seq()) {
                stale.add(c);
            }
        }
        if (!stale.isEmpty()) {
            queries.storeAt(stale, freshest);
        }
    }

    /**
     * Entries of the log under {@code key} from {@code fromSeq} on (at most {@code limit}), from
     * the holders in order of their heads, highest first; falls back to the next holder when one
     * fails. A page that starts at {@code fromSeq} is preferred to one with a higher head that
     * skips entries: a holder missing the first entries (it was not among the storing nodes when
     * they were put) would otherwise hide them from a reader that could have had them elsewhere.
     */
    public Future<LogPage> getLog(NodeId key, long fromSeq, int limit) {
        return onContext(() -> queries.findValue(key).compose(result -> {
            List<Lookup.Found<Queries.Values>> holders = new ArrayList<>(result.values());
            holders.sort(Comparator.comparingLong(
                            (Lookup.Found<Queries.Values> f) -> f.value().head())
                    .reversed());
            LogPage local = store.log(key, fromSeq, limit);
            return fetchFrom(holders, 0, key, fromSeq, limit, local);
        }));
    }

    private Future<LogPage> fetchFrom(
            List<Lookup.Found<Queries.Values>> holders, int index, NodeId key, long fromSeq, int limit, LogPage best) {
        if (index >= holders.size()
                || holders.get(index).value().head() < fromSeq
                || startsAt(best, fromSeq) && holders.get(index).value().head() <= best.head()) {
            return Future.succeededFuture(best);
        }
        return queries.fetchLog(holders.get(index).from(), key, fromSeq, limit)
                .recover(e -> Future.succeededFuture(LogPage.EMPTY))
                .compose(page ->
                        fetchFrom(holders, index + 1, key, fromSeq, limit, better(page, best, fromSeq) ? page : best));
    }

    private static boolean startsAt(LogPage page, long fromSeq) {
        return !page.entries().isEmpty() && page.entries().get(0).seq() <= fromSeq;
    }

    /** Whether {@code page} serves a reader from {@code fromSeq} better than {@code best}. */
    static boolean better(LogPage page, LogPage best, long fromSeq) {
        if (page.entries().isEmpty()) {
            return false;
        }
        if (best.entries().isEmpty()) {
            return true;
        }
        boolean pageStarts = startsAt(page, fromSeq);
        if (pageStarts != startsAt(best, fromSeq)) {
            return pageStarts;
        }
        return page.head() > best.head();
    }

    /** A writer for one log key that keeps the key's storing nodes instead of a lookup per entry. */
    public LogWriter logWriter(NodeId key) {
        return new LogWriter(this, key);
    }

    /**
     * Delivers every entry of the log under {@code key} from {@code fromSeq} on, exactly once
     * and in order, to {@code handler}; the next entry waits until the handler's future completes.
     */
    public Subscription subscribeLog(NodeId key, long fromSeq, Subscription.Handler handler) {
        return subscribe(key, true, fromSeq, handler);
    }

    /** Delivers each newer value of the slot under {@code key}, in seq order. */
    public Subscription subscribeSlot(NodeId key, Subscription.Handler handler) {
        return subscribe(key, false, 0, handler);
    }

    private Subscription subscribe(NodeId key, boolean log, long fromSeq, Subscription.Handler handler) {
        Subscription subscription = new Subscription(this, key, log, fromSeq, handler);
        context.runOnContext(v -> {
            subscriptions.computeIfAbsent(key, k -> new ArrayList<>()).add(subscription);
            subscription.start();
        });
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        List<Subscription> list = subscriptions.get(subscription.key());
        if (list != null) {
            list.remove(subscription);
            if (list.isEmpty()) {
                subscriptions.remove(subscription.key());
            }
        }
    }

    private void onNotified(VerifiedRecord record) {
        for (Subscription s : subscriptions.getOrDefault(record.key(), List.of())) {
            s.onNotify(record);
        }
    }

    /**
     * Calls {@code observer} (on the node's event loop: it must not block) with every record
     * this node newly stores, its own puts and other nodes' STOREs alike. A gateway uses it to
     * count data it holds but does not serve.
     */
    public void observeStores(Consumer<VerifiedRecord> observer) {
        this.storeObserver = observer;
    }

    void notifySubscribers(VerifiedRecord record) {
        try {
            storeObserver.accept(record);
        } catch (RuntimeException e) {
            // an observer's fault must not break storing, but it is a bug to see
            LOG.log(Level.WARNING, "store observer failed on " + record.key().hex(), e);
        }
        // this node's own subscriptions hear of it too: it may be one of the key's storing nodes,
        // which no remote holder would notify it about
        onNotified(record);
        List<Contact> subs = subscribers.subscribers(record.key(), clock.millis());
        if (subs.isEmpty()) {
            return;
        }
        ObjectNode body = Json.object();
        body.put("key", record.key().hex());
        body.put("record", record.token());
        for (Contact c : subs) {
            transport.request(c, Op.NOTIFY, body);
        }
    }

    private void onPeerSeen(Contact peer) {
        RoutingTable.Offer offer = table.offer(peer, clock.millis());
        if (offer.accepted()) {
            maintenance.peerJoined(peer);
        } else if (offer.pingCandidate() != null) {
            Contact oldest = offer.pingCandidate();
            transport.request(oldest, Op.PING, Json.object()).onComplete(ar -> {
                if (ar.succeeded()) {
                    table.touch(oldest, clock.millis());
                } else {
                    table.evict(oldest.id());
                    if (table.offer(peer, clock.millis()).accepted()) {
                        maintenance.peerJoined(peer);
                    }
                }
            });
        }
    }

    private void onPeerFailed(Contact peer) {
        table.evict(peer.id());
    }

    /** Verifies a token against the key its own payload derives. */
    public VerifiedRecord verify(String token) throws ProtocolException {
        RecordPayload payload = RecordPayload.parse(Jws.peekPayload(token));
        return validator.validate(payload.key(), token, clock.instant());
    }

    /** Runs {@code action} on the node's context and completes with its result there. */
    <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return action.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    public Future<Void> stop() {
        return onContext(() -> {
            maintenance.stop();
            for (List<Subscription> list : new ArrayList<>(subscriptions.values())) {
                new ArrayList<>(list).forEach(Subscription::cancel);
            }
            return transport.close().onComplete(v -> store.close());
        });
    }

    public Contact contact() {
        return Contact.of(identity.publicKey(), options.contactHost(), port);
    }

    public NodeId id() {
        return identity.nodeId();
    }

    public int port() {
        return port;
    }

    public Identity identity() {
        return identity;
    }

    public DhtOptions options() {
        return options;
    }

    /** Routing table size (read on the caller's thread: approximate while the node runs). */
    public int knownPeers() {
        return table.size();
    }

    /** Records held locally under {@code key} (approximate outside the node's context). */
    public List<VerifiedRecord> localRecords(NodeId key) {
        return store.all(key);
    }

    Vertx vertx() {
        return vertx;
    }

    Context context() {
        return context;
    }

    Clock clock() {
        return clock;
    }

    Random random() {
        return random;
    }

    RoutingTable table() {
        return table;
    }

    RecordStore store() {
        return store;
    }

    Queries queries() {
        return queries;
    }

    Transport transport() {
        return transport;
    }

    DhtMetrics metrics() {
        return metrics;
    }
}
