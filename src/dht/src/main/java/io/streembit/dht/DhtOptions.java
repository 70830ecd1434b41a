package io.streembit.dht;

import io.streembit.dht.store.RetentionLimits;
import io.streembit.protocol.identity.PublicKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a node can be configured with, as a plain immutable value (the gateway maps its
 * SmallRye config onto it; the CLI maps its flags). {@link #defaults()} documents each default.
 *
 * @param host               address to listen on (default 127.0.0.1)
 * @param port               TCP port, 0 picks a free one (default 0)
 * @param advertisedHost     host put in this node's contact (default: {@code host})
 * @param networkId          network name; peers of other networks are refused (default "streembit")
 * @param allowList          a private network's admitted public keys; empty means public (default empty)
 * @param k                  bucket size and lookup result size (default 20)
 * @param alpha              lookup parallelism (default 3)
 * @param slotReplication    storing nodes per slot record (default 8)
 * @param logReplication     storing nodes per log key (default 5)
 * @param requestTimeout     per-RPC timeout (default 5 s)
 * @param handshakeTimeout   a connection must finish its handshake within this (default 5 s)
 * @param clockSkew          accepted hello timestamp difference (default 120 s)
 * @param maxFrameBytes      largest frame accepted (default 65536)
 * @param limits             per-peer abuse limits
 * @param bucketRefresh      a bucket untouched this long is refreshed by a lookup (default 1 h)
 * @param republishInterval  how often a publisher re-stores its records (default 1 h)
 * @param dataDir            durable record store directory, null for memory only (default null)
 * @param verifyOnWorkers    validate the records of FIND_VALUE answers that carry several (pages of
 *                           a log) on worker threads instead of the node's event loop (default
 *                           false). A node that takes thousands of records a second (a gateway)
 *                           otherwise spends one core on signatures while the others idle; a small
 *                           node saves the thread hop. A single record (a NOTIFY) is checked on
 *                           the event loop either way: its hop cost more than its check.
 * @param patience           how long a lookup waits for one peer before it asks another in its
 *                           place (see {@link Patience})
 * @param retention          what the record store keeps: per log, in all, per publisher (default
 *                           {@link RetentionLimits#defaults()}: 64 MiB of tokens in all, 20 MiB and
 *                           100,000 keys per publisher)
 * @param storeForOthers     whether this node takes other nodes' STOREs (default true). A node
 *                           that only reads and publishes (a gateway's, unless configured to
 *                           share the network's storage) refuses them {@code not-allowed}; its
 *                           own records it still keeps
 * @param storeRank          a STORE is taken only for a key that fewer than this many contacts of
 *                           the routing table are closer to (default 40, twice k): a node holds
 *                           what it is plausibly among the storing nodes of, with slack for what
 *                           its table does not know
 * @param localAddresses     whether addresses in other nodes' answers may be local ones
 *                           (loopback, link-local, unspecified, multicast): see
 *                           {@link LocalAddresses} (default AUTO)
 * @param disjointPaths      disjoint lookup paths of a put and a get (S/Kademlia's d; default 3):
 *                           a put stores on the first r nodes of each path, a get asks along all
 *                           of them; 1 is the plain Kademlia lookup
 */
public record DhtOptions(
        String host,
        int port,
        String advertisedHost,
        String networkId,
        Set<PublicKey> allowList,
        int k,
        int alpha,
        int slotReplication,
        int logReplication,
        Duration requestTimeout,
        Duration handshakeTimeout,
        Duration clockSkew,
        int maxFrameBytes,
        PeerLimits limits,
        Duration bucketRefresh,
        Duration republishInterval,
        Path dataDir,
        boolean verifyOnWorkers,
        Patience patience,
        RetentionLimits retention,
        boolean storeForOthers,
        int storeRank,
        LocalAddresses localAddresses,
        int disjointPaths) {

    public static final int PROTOCOL_VERSION = 1;

    public static DhtOptions defaults() {
        return new DhtOptions(
                "127.0.0.1",
                0,
                null,
                "streembit",
                Set.of(),
                20,
                3,
                8,
                5,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(120),
                65536,
                PeerLimits.defaults(),
                Duration.ofHours(1),
                Duration.ofHours(1),
                null,
                false,
                Patience.defaults(),
                RetentionLimits.defaults(),
                true,
                40,
                LocalAddresses.AUTO,
                3);
    }

    public String contactHost() {
        return advertisedHost != null ? advertisedHost : host;
    }

    public boolean privateNetwork() {
        return !allowList.isEmpty();
    }

    public DhtOptions withHost(String value) {
        return copy(m -> m.host = value);
    }

    public DhtOptions withPort(int value) {
        return copy(m -> m.port = value);
    }

    public DhtOptions withAdvertisedHost(String value) {
        return copy(m -> m.advertisedHost = value);
    }

    public DhtOptions withNetworkId(String value) {
        return copy(m -> m.networkId = value);
    }

    public DhtOptions withAllowList(Set<PublicKey> value) {
        return copy(m -> m.allowList = Set.copyOf(value));
    }

    public DhtOptions withK(int value) {
        return copy(m -> m.k = value);
    }

    public DhtOptions withReplication(int slot, int log) {
        return copy(m -> {
            m.slotReplication = slot;
            m.logReplication = log;
        });
    }

    public DhtOptions withRequestTimeout(Duration value) {
        return copy(m -> m.requestTimeout = value);
    }

    public DhtOptions withHandshakeTimeout(Duration value) {
        return copy(m -> m.handshakeTimeout = value);
    }

    public DhtOptions withLimits(PeerLimits value) {
        return copy(m -> m.limits = value);
    }

    public DhtOptions withDataDir(Path value) {
        return copy(m -> m.dataDir = value);
    }

    public DhtOptions withVerifyOnWorkers(boolean value) {
        return copy(m -> m.verifyOnWorkers = value);
    }

    public DhtOptions withPatience(Patience value) {
        return copy(m -> m.patience = value);
    }

    public DhtOptions withRetention(RetentionLimits value) {
        return copy(m -> m.retention = value);
    }

    public DhtOptions withStoreForOthers(boolean value) {
        return copy(m -> m.storeForOthers = value);
    }

    public DhtOptions withStoreRank(int value) {
        return copy(m -> m.storeRank = value);
    }

    public DhtOptions withDisjointPaths(int value) {
        return copy(m -> m.disjointPaths = value);
    }

    public DhtOptions withLocalAddresses(LocalAddresses value) {
        return copy(m -> m.localAddresses = value);
    }

    /**
     * Whether this node is on a local network, where peers' addresses may be loopback or
     * link-local: ALLOW, or AUTO on a node that listens on a loopback address.
     */
    public boolean localNetwork() {
        return switch (localAddresses) {
            case ALLOW -> true;
            case REFUSE -> false;
            case AUTO ->
                io.streembit.dht.routing.Addresses.isLocal(host)
                        && !"0.0.0.0".equals(host)
                        && !"::".equals(host)
                        && !"0:0:0:0:0:0:0:0".equals(host);
        };
    }

    /**
     * Contacts in other nodes' answers with a local address (loopback, link-local, unspecified,
     * multicast) are only hints a liar could use to make this node dial its own host's services
     * or its cloud's metadata address. AUTO (the default) dials them only when this node itself
     * listens on a loopback address (a test network, the demo, a laptop); a node that listens on
     * 0.0.0.0 or a real address refuses them. ALLOW / REFUSE decide regardless.
     */
    public enum LocalAddresses {
        AUTO,
        ALLOW,
        REFUSE
    }

    private DhtOptions copy(java.util.function.Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** A mutable copy, so each {@code withX} names only what it changes. */
    private static final class Draft {
        String host;
        int port;
        String advertisedHost;
        String networkId;
        Set<PublicKey> allowList;
        int k;
        int alpha;
        int slotReplication;
        int logReplication;
        Duration requestTimeout;
        Duration handshakeTimeout;
        Duration clockSkew;
        int maxFrameBytes;
        PeerLimits limits;
        Duration bucketRefresh;
        Duration republishInterval;
        Path dataDir;
        boolean verifyOnWorkers;
        Patience patience;
        RetentionLimits retention;
        boolean storeForOthers;
        int storeRank;
        LocalAddresses localAddresses;
        int disjointPaths;

        Draft(DhtOptions o) {
            host = o.host;
            port = o.port;
            advertisedHost = o.advertisedHost;
            networkId = o.networkId;
            allowList = o.allowList;
            k = o.k;
            alpha = o.alpha;
            slotReplication = o.slotReplication;
            logReplication = o.logReplication;
            requestTimeout = o.requestTimeout;
            handshakeTimeout = o.handshakeTimeout;
            clockSkew = o.clockSkew;
            maxFrameBytes = o.maxFrameBytes;
            limits = o.limits;
            bucketRefresh = o.bucketRefresh;
            republishInterval = o.republishInterval;
            dataDir = o.dataDir;
            verifyOnWorkers = o.verifyOnWorkers;
            patience = o.patience;
            retention = o.retention;
            storeForOthers = o.storeForOthers;
            storeRank = o.storeRank;
            localAddresses = o.localAddresses;
            disjointPaths = o.disjointPaths;
        }

        DhtOptions build() {
            return new DhtOptions(
                    host,
                    port,
                    advertisedHost,
                    networkId,
                    allowList,
                    k,
                    alpha,
                    slotReplication,
                    logReplication,
                    requestTimeout,
                    handshakeTimeout,
                    clockSkew,
                    maxFrameBytes,
                    limits,
                    bucketRefresh,
                    republishInterval,
                    dataDir,
                    verifyOnWorkers,
                    patience,
                    retention,
                    storeForOthers,
                    storeRank,
                    localAddresses,
                    disjointPaths);
        }
    }

    /**
     * A lookup's patience with one peer: the peer's smoothed round trip plus four deviations
     * (TCP's retransmission timeout, RFC 6298), measured per peer on open connections and
     * node-wide for first contacts (which pay the TCP connect and the signed hello), clamped to
     * [{@code floor}, {@code requestTimeout}]. Past it the lookup asks another peer in that
     * one's place and no longer waits for it; a late answer is still used. The RPC itself keeps
     * {@code requestTimeout}: only its failure evicts the peer.
     *
     * @param floor   the least patience, whatever was measured (default 100 ms)
     * @param initial the patience before any round trip was measured (default 1 s, RFC 6298's
     *                initial RTO)
     */
    public record Patience(Duration floor, Duration initial) {
        public static Patience defaults() {
            return new Patience(Duration.ofMillis(100), Duration.ofSeconds(1));
        }

        /** No patience limit: every query holds its slot until it answers or times out (the old lookup). */
        public static Patience unlimited() {
            return new Patience(Duration.ofDays(1), Duration.ofDays(1));
        }
    }

    /**
     * Abuse limits per peer, and per address: identities are free, so what one node id may do,
     * one IP address and one network (a /24 of IPv4, a /64 of IPv6) may do only a few times over.
     * A peer over a limit is disconnected and banned for {@code banDuration}; bans apply to the
     * node id, and to the IP address unless it is loopback (so that many honest test nodes on
     * 127.0.0.1 are not banned together). Loopback is exempt from every per-address limit unless
     * {@code limitLoopback} (tests of these limits set it).
     *
     * @param requestsPerSecond     sustained requests per second per node id (default 500)
     * @param requestBurst          token bucket size (default 1000)
     * @param connectionsPerPeer    concurrent connections per node id (default 4)
     * @param handshakesPerIp       concurrent unauthenticated connections per IP (default 32)
     * @param bytesInFlight         request bytes a peer may have awaiting our answer (default 1 MiB)
     * @param banDuration           how long an offender is refused (default 60 s)
     * @param maxConnections        open connections per node; past it the least recently used idle one
     *                              is closed (default 256)
     * @param idleTimeout           a connection without traffic this long is closed (default 120 s)
     * @param handshakesPerPrefix   concurrent unauthenticated connections per /24 or /64 (default 64)
     * @param connectionsPerIp      verified inbound connections per IP, all node ids together (default 16)
     * @param connectionsPerPrefix  verified inbound connections per /24 or /64 (default 64)
     * @param requestsPerSecondPerIp     sustained frames per second per IP, burst twice that (default 2000)
     * @param requestsPerSecondPerPrefix sustained frames per second per /24 or /64, burst twice that
     *                              (default 4000)
     * @param trackedPeers          rate buckets and bans kept per kind (node id, IP, prefix); the least
     *                              recently used go first (default 10,000)
     * @param subscriptionsPerPeer  keys one node id may watch on this node (default 10,000)
     * @param subscriptions         subscriptions this node holds in all (default 100,000)
     * @param limitLoopback         apply the per-address limits and IP bans to loopback too (default false)
     */
    public record PeerLimits(
            int requestsPerSecond,
            int requestBurst,
            int connectionsPerPeer,
            int handshakesPerIp,
            long bytesInFlight,
            Duration banDuration,
            int maxConnections,
            Duration idleTimeout,
            int handshakesPerPrefix,
            int connectionsPerIp,
            int connectionsPerPrefix,
            int requestsPerSecondPerIp,
            int requestsPerSecondPerPrefix,
            int trackedPeers,
            int subscriptionsPerPeer,
            int subscriptions,
            boolean limitLoopback) {
        /** The per-peer limits alone; the per-address ones take their defaults. */
        public PeerLimits(
                int requestsPerSecond,
                int requestBurst,
                int connectionsPerPeer,
                int handshakesPerIp,
                long bytesInFlight,
                Duration banDuration,
                int maxConnections,
                Duration idleTimeout) {
            this(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    64,
                    16,
                    64,
                    2000,
                    4000,
                    10_000,
                    10_000,
                    100_000,
                    false);
        }

        public static PeerLimits defaults() {
            return new PeerLimits(
                    500,
                    1000,
                    4,
                    32,
                    1 << 20,
                    Duration.ofSeconds(60),
                    256,
                    Duration.ofSeconds(120),
                    64,
                    16,
                    64,
                    2000,
                    4000,
                    10_000,
                    10_000,
                    100_000,
                    false);
        }

        /** Sustained requests per second per peer, with a burst of twice that. */
        public PeerLimits withRequestsPerSecond(int value) {
            return new PeerLimits(
                    value,
                    2 * value,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    requestsPerSecondPerIp,
                    requestsPerSecondPerPrefix,
                    trackedPeers,
                    subscriptionsPerPeer,
                    subscriptions,
                    limitLoopback);
        }

        public PeerLimits withMaxConnections(int value) {
            return new PeerLimits(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    value,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    requestsPerSecondPerIp,
                    requestsPerSecondPerPrefix,
                    trackedPeers,
                    subscriptionsPerPeer,
                    subscriptions,
                    limitLoopback);
        }

        /** Per-address limits: connections per IP and per prefix, frames per second per IP and per prefix. */
        public PeerLimits withAddressLimits(
                int connectionsPerIp, int connectionsPerPrefix, int perIpPerSecond, int perPrefixPerSecond) {
            return new PeerLimits(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    perIpPerSecond,
                    perPrefixPerSecond,
                    trackedPeers,
                    subscriptionsPerPeer,
                    subscriptions,
                    limitLoopback);
        }

        public PeerLimits withSubscriptions(int perPeer, int total) {
            return new PeerLimits(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    requestsPerSecondPerIp,
                    requestsPerSecondPerPrefix,
                    trackedPeers,
                    perPeer,
                    total,
                    limitLoopback);
        }

        public PeerLimits withTrackedPeers(int value) {
            return new PeerLimits(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    requestsPerSecondPerIp,
                    requestsPerSecondPerPrefix,
                    value,
                    subscriptionsPerPeer,
                    subscriptions,
                    limitLoopback);
        }

        public PeerLimits withLimitLoopback(boolean value) {
            return new PeerLimits(
                    requestsPerSecond,
                    requestBurst,
                    connectionsPerPeer,
                    handshakesPerIp,
                    bytesInFlight,
                    banDuration,
                    maxConnections,
                    idleTimeout,
                    handshakesPerPrefix,
                    connectionsPerIp,
                    connectionsPerPrefix,
                    requestsPerSecondPerIp,
                    requestsPerSecondPerPrefix,
                    trackedPeers,
                    subscriptionsPerPeer,
                    subscriptions,
                    value);
        }
    }
}
