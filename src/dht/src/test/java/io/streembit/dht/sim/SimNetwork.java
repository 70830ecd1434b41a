package io.streembit.dht.sim;

import io.streembit.dht.lookup.Lookup;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.transport.RpcException;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A Kademlia network in memory: each node has a real secp256k1 identity and the real
 * {@link RoutingTable}; lookups are the real {@link Lookup}. Only the transport is simulated:
 * RPCs are events on a {@link VirtualScheduler}, delayed by a {@link LatencyModel}. The routing
 * table is fed the way {@code DhtNode} feeds it: both ends offer each other when a connection is
 * established (the initiator after the hello exchange, the responder on the first request), a
 * full bucket pings its least-recently-seen member and keeps it if it answers, a lookup touches
 * peers that answered and evicts peers that did not. A node joins as {@code DhtNode.bootstrap}
 * does: it pings the seeds, looks itself up, then fills its empty far buckets. Not modelled:
 * hourly bucket refresh, records, abuse limits, CPU time. Single-threaded and deterministic for
 * a given seed.
 */
final class SimNetwork {
    static final int K = 20;
    static final int ALPHA = 3;
    private static final int PORT = 4000;
    private static final int SEEDS = 3;
    /** Virtual time starts at a plausible wall clock, so tables see ordinary timestamps. */
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final Random random;
    private final SecureRandom keyRandom;
    private LatencyModel latency;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeId, SimNode> byId = new HashMap<>();
    private final Function<SimNode, Object> ping = node -> Boolean.TRUE;
    private final JoinPolicy joinPolicy;

    /** How a new node fills its table. */
    enum JoinPolicy {
        /** Seeds, self-lookup, then the empty far buckets: what {@code DhtNode.bootstrap} does. */
        DHT_NODE,
        /** Seeds and self-lookup only: the join before far buckets were filled (for comparison). */
        SELF_LOOKUP
    }

    SimNetwork(long seed, LatencyModel latency) {
        this(seed, latency, JoinPolicy.DHT_NODE);
    }

    SimNetwork(long seed, LatencyModel latency, JoinPolicy join) {
        this.random = new Random(seed);
        this.latency = latency;
        this.joinPolicy = join;
        try {
            // SHA1PRNG seeded before first use is deterministic: the same seed gives the same keys
            this.keyRandom = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        keyRandom.setSeed(seed);
    }

    /** Adds {@code n} nodes one after the other, each joining through the first three. */
    void grow(int n) {
        for (int i = 0; i < n; i++) {
            SimNode node = newNode();
            List<SimNode> seeds = nodes.subList(0, Math.min(SEEDS, nodes.size()));
            Future<Void> joined = join(node, new ArrayList<>(seeds));
            nodes.add(node);
            byId.put(node.id(), node);
            scheduler.runUntil(joined);
        }
        scheduler.drain();
    }

    private SimNode newNode() {
        Identity identity = Identity.generate(keyRandom);
        // public addresses in distinct networks mostly: the IP-diversity limit applies as in the wild
        String host = (1 + random.nextInt(126)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
        Contact contact = Contact.of(identity.publicKey(), host, PORT);
        return new SimNode(contact, new RoutingTable(contact.id(), K, nowMillis()));
    }

    private Future<Void> join(SimNode node, List<SimNode> seeds) {
        if (seeds.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<Object>> pings = new ArrayList<>();
        for (SimNode seed : seeds) {
            pings.add(rpc(node, seed, ping));
        }
        return Future.join(pings)
                .otherwiseEmpty()
                .compose(v -> lookup(node, node.id(), new int[1]))
                .compose(self -> fillFarBuckets(node, self))
                .mapEmpty();
    }

    /**
     * Mirrors {@code DhtNode.fillFarBuckets}: after the self-lookup, look up a random id in each
     * empty bucket farther than the closest neighbour, all in parallel.
     */
    private Future<?> fillFarBuckets(SimNode node, Lookup.Result<Void> self) {
        if (joinPolicy == JoinPolicy.SELF_LOOKUP || self.closest().isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<?>> refreshes = new ArrayList<>();
        for (int i = node.id().bucketIndex(self.closest().get(0).id()) + 1; i < RoutingTable.ID_BITS; i++) {
            if (node.table.bucketSize(i) == 0) {
                node.table.markRefreshed(i, nowMillis());
                refreshes.add(lookup(node, node.table.randomIdInBucket(i, random), new int[1]));
            }
        }
        return Future.join(refreshes);
    }

    /** Runs one lookup to completion and measures it against the true closest live nodes. */
    LookupSample measure(SimNode origin, NodeId target) {
        List<NodeId> truth = ClosestOracle.closest(liveIds(), target, origin.id(), K);
        long started = scheduler.nowMicros();
        int[] failures = new int[1];
        Lookup.Result<Void> result = scheduler.runUntil(lookup(origin, target, failures));
        double millis = (scheduler.nowMicros() - started) / 1000.0;
        return LookupSample.of(result, millis, failures[0], truth);
    }

    private Future<Lookup.Result<Void>> lookup(SimNode origin, NodeId target, int[] failures) {
        Lookup<Void> lookup = new Lookup<>(
                target,
                origin.id(),
                origin.table.closest(target, K),
                K,
                ALPHA,
                peer -> rpc(origin, byId.get(peer.id()), n -> new Lookup.Reply<Void>(n.table.closest(target, K), null)),
                peer -> origin.table.touch(peer, nowMillis()),
                peer -> {
                    failures[0]++;
                    origin.table.evict(peer.id());
                });
        return lookup.run();
    }

    /**
     * One request/answer between two nodes. {@code serve} runs at the peer when the request
     * arrives and computes the answer from the peer's state at that moment.
     */
    private <T> Future<T> rpc(SimNode from, SimNode to, Function<SimNode, T> serve) {
        Promise<T> promise = Promise.promise();
        long now = scheduler.nowMicros();
        if (!to.alive) {
            scheduler.after(
                    latency.timeoutMillis() * 1000,
                    () -> promise.fail(new RpcException(RpcException.TIMEOUT, "no answer from " + to)));
            return promise.future();
        }
        long rtt = latency.roundTripMicros(random);
        SimNode.Link link = openLink(from, to, now);
        boolean fresh = link == null;
        long wait;
        if (fresh) {
            wait = latency.setupRoundTrips() * rtt;
            link = connect(from, to, now + wait);
            // the initiator has verified the peer's hello: DhtNode's peerSeen on the dialling side
            scheduler.after(wait, () -> peerSeen(from, to));
        } else {
            wait = Math.max(0, link.readyAtMicros - now);
        }
        link.lastUsedMicros = Math.max(link.lastUsedMicros, now + wait + rtt);
        long half = rtt / 2;
        scheduler.after(wait + half, () -> {
            if (fresh) {
                // the responder has seen the first authenticated frame: peerSeen on its side
                peerSeen(to, from);
            }
            T answer = serve.apply(to);
            scheduler.after(rtt - half, () -> promise.complete(answer));
        });
        return promise.future();
    }

    /** Mirrors {@code DhtNode.onPeerSeen}: offer, and ping the oldest member of a full bucket. */
    private void peerSeen(SimNode self, SimNode peer) {
        if (!self.alive) {
            return;
        }
        RoutingTable.Offer offer = self.table.offer(peer.contact, nowMillis());
        if (!offer.accepted() && offer.pingCandidate() != null) {
            Contact oldest = offer.pingCandidate();
            rpc(self, byId.get(oldest.id()), ping).onComplete(ar -> {
                if (ar.succeeded()) {
                    self.table.touch(oldest, nowMillis());
                } else {
                    self.table.evict(oldest.id());
                    self.table.offer(peer.contact, nowMillis());
                }
            });
        }
    }

    /** The open connection between two nodes, or null (closing it if it idled out). */
    private SimNode.Link openLink(SimNode a, SimNode b, long now) {
        SimNode.Link link = a.links.get(b);
        if (link == null) {
            return null;
        }
        if (now - link.lastUsedMicros >= latency.idleTimeoutMillis() * 1000) {
            a.links.remove(b);
            b.links.remove(a);
            return null;
        }
        b.links.get(a); // refresh the LRU order on the other end too
        return link;
    }

    private SimNode.Link connect(SimNode a, SimNode b, long readyAtMicros) {
        SimNode.Link link = new SimNode.Link(readyAtMicros);
        a.links.put(b, link);
        b.links.put(a, link);
        closeLeastRecentlyUsed(a);
        closeLeastRecentlyUsed(b);
        return link;
    }

    private void closeLeastRecentlyUsed(SimNode node) {
        while (node.links.size() > latency.maxConnections()) {
            SimNode oldest = node.links.keySet().iterator().next();
            node.links.remove(oldest);
            oldest.links.remove(node);
        }
    }

    /** Takes {@code fraction} of the nodes down at once; their peers are not told. */
    List<SimNode> fail(double fraction) {
        List<SimNode> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        List<SimNode> failed = new ArrayList<>(shuffled.subList(0, (int) Math.round(fraction * nodes.size())));
        for (SimNode node : failed) {
            node.alive = false;
            for (SimNode peer : node.links.keySet()) {
                peer.links.remove(node);
            }
            node.links.clear();
        }
        return failed;
    }

    SimNode randomLiveNode() {
        while (true) {
            SimNode node = nodes.get(random.nextInt(nodes.size()));
            if (node.alive) {
                return node;
            }
        }
    }

    NodeId randomId() {
        byte[] bytes = new byte[NodeId.BYTES];
        random.nextBytes(bytes);
        return NodeId.sha1Of(bytes);
    }

    void setLatency(LatencyModel value) {
        latency = value;
    }

    LatencyModel latency() {
        return latency;
    }

    List<NodeId> liveIds() {
        List<NodeId> ids = new ArrayList<>(nodes.size());
        for (SimNode node : nodes) {
            if (node.alive) {
                ids.add(node.id());
            }
        }
        return ids;
    }

    int size() {
        return nodes.size();
    }

    /** Mean routing-table size over live nodes. */
    double meanTableSize() {
        long sum = 0;
        int n = 0;
        for (SimNode node : nodes) {
            if (node.alive) {
                sum += node.table.size();
                n++;
            }
        }
        return n == 0 ? 0 : (double) sum / n;
    }

    long executedEvents() {
        return scheduler.executedEvents();
    }

    private long nowMillis() {
        return EPOCH_MILLIS + scheduler.nowMicros() / 1000;
    }
}
