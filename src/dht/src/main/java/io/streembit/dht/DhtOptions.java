package io.streembit.dht;

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
        boolean verifyOnWorkers) {

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
                false);
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
                    verifyOnWorkers);
        }
    }

    /**
     * Per-peer abuse limits. A peer over a limit is disconnected and banned for
     * {@code banDuration}; bans apply to the node id, and to the IP address unless it is loopback
     * (so that many honest test nodes on 127.0.0.1 are not banned together).
     *
     * @param requestsPerSecond     sustained requests per second per peer (default 500)
     * @param requestBurst          token bucket size (default 1000)
     * @param connectionsPerPeer    concurrent connections per node id (default 4)
     * @param handshakesPerIp       concurrent unauthenticated connections per IP, loopback exempt (default 32)
     * @param bytesInFlight         request bytes a peer may have awaiting our answer (default 1 MiB)
     * @param banDuration           how long an offender is refused (default 60 s)
     * @param maxConnections        open connections per node; past it the least recently used idle one
     *                              is closed (default 256)
     * @param idleTimeout           a connection without traffic this long is closed (default 120 s)
     */
    public record PeerLimits(
            int requestsPerSecond,
            int requestBurst,
            int connectionsPerPeer,
            int handshakesPerIp,
            long bytesInFlight,
            Duration banDuration,
            int maxConnections,
            Duration idleTimeout) {
        public static PeerLimits defaults() {
            return new PeerLimits(500, 1000, 4, 32, 1 << 20, Duration.ofSeconds(60), 256, Duration.ofSeconds(120));
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
                    idleTimeout);
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
                    idleTimeout);
        }
    }
}
