package io.streembit.dht.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.DhtMetrics;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.jose.Jws;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's TCP side: a listening server, outbound connections pooled per peer (one is
 * reused for every request to that peer, in both directions), and the limits and bans that
 * protect the node. Every method must be called on the node's context ({@link #context()}).
 */
public final class Transport {
    /** What the node does with an authenticated peer's request, and with peers it meets. */
    public interface Handler {
        Future<ObjectNode> handle(Contact from, Envelope.Request request);

        /** A peer completed a verified handshake (candidate for the routing table). */
        void peerSeen(Contact peer);
    }

    private final Vertx vertx;
    private final Context context;
    private final Identity identity;
    private final DhtOptions options;
    private final Clock clock;
    private final DhtMetrics metrics;
    private final Handler handler;
    private final Jws jws;
    private final SecureRandom random;
    private final HandshakePolicy handshakePolicy;
    private final PeerGuard guard;

    private final Map<NodeId, PeerConnection> pool = new HashMap<>();
    private final Map<NodeId, Future<PeerConnection>> dialling = new HashMap<>();
    private final Map<NodeId, Integer> connectionsPerPeer = new HashMap<>();
    private final Map<String, Integer> handshakesPerIp = new HashMap<>();
    private final Set<PeerConnection> all = new HashSet<>();
    private final Map<PeerConnection, String> dialledHosts = new HashMap<>();
    private NetServer server;
    private NetClient client;
    private int listenPort;
    private boolean closed;

    public Transport(
            Vertx vertx,
            Context context,
            Identity identity,
            DhtOptions options,
            Clock clock,
            DhtMetrics metrics,
            Handler handler) {
        this.vertx = vertx;
        this.context = context;
        this.identity = identity;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
        this.handler = handler;
        this.jws = Jws.standard();
        this.random = new SecureRandom();
        this.handshakePolicy = new HandshakePolicy(options, clock, identity.publicKey());
        this.guard = new PeerGuard(options.limits());
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> listen() {
        int idleSeconds = (int) options.limits().idleTimeout().toSeconds();
        client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) options.requestTimeout().toMillis())
                .setIdleTimeout(idleSeconds)
                .setTcpNoDelay(true));
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setIdleTimeout(idleSeconds)
                .setTcpNoDelay(true));
        server.connectHandler(this::accept);
        return server.listen().map(s -> {
            listenPort = s.actualPort();
            return listenPort;
        });
    }

    private void accept(NetSocket socket) {
        String ip = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
        long now = clock.millis();
        if (closed || guard.isBanned(null, ip, now)) {
            metrics.rejected("banned");
            socket.close();
            return;
        }
        if (!PeerGuard.isLoopback(ip)) {
            int pendingFromIp = handshakesPerIp.merge(ip, 1, Integer::sum);
            if (pendingFromIp > options.limits().handshakesPerIp()) {
                handshakesPerIp.merge(ip, -1, Integer::sum);
                metrics.rejected("too-many-handshakes");
                socket.close();
                return;
            }
        }
        metrics.connectionOpened(true);
        PeerConnection connection = new PeerConnection(this, socket, false, null);
        all.add(connection);
        connection.opened().onComplete(ar -> {
            if (!PeerGuard.isLoopback(ip)) {
                handshakesPerIp.merge(ip, -1, Integer::sum);
            }
        });
    }

    /** The pooled connection to {@code peer}, dialling it when there is none. */
    public Future<PeerConnection> connect(Contact peer) {
        PeerConnection existing = pool.get(peer.id());
        if (existing != null && existing.isOpen()) {
            return Future.succeededFuture(existing);
        }
        Future<PeerConnection> inProgress = dialling.get(peer.id());
        if (inProgress != null) {
            return inProgress;
        }
        Future<PeerConnection> dial = dial(peer.host(), peer.port(), peer.id());
        dialling.put(peer.id(), dial);
        dial.onComplete(ar -> dialling.remove(peer.id()));
        return dial;
    }

    /** Dials an address whose key is not known yet (a seed given as host:port). */
    public Future<PeerConnection> connect(String host, int port) {
        return dial(host, port, null);
    }

    private Future<PeerConnection> dial(String host, int port, NodeId expected) {
        if (closed) {
            return Future.failedFuture(new RpcException(RpcException.CLOSED, "transport is closed"));
        }
        if (expected != null && guard.isBanned(expected, host, clock.millis())) {
            return Future.failedFuture(new RpcException(RpcException.UNREACHABLE, "peer is banned"));
        }
        Promise<PeerConnection> promise = Promise.promise();
        client.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                promise.fail(new RpcException(RpcException.UNREACHABLE, "cannot connect to " + host + ":" + port));
                return;
            }
            if (closed) {
                ar.result().close();
                promise.fail(new RpcException(RpcException.CLOSED, "transport is closed"));
                return;
            }
            metrics.connectionOpened(false);
            PeerConnection connection = new PeerConnection(this, ar.result(), true, expected);
            dialledHosts.put(connection, host);
            all.add(connection);
            connection.opened().onComplete(promise);
        });
        return promise.future();
    }

    /** Connects if needed and sends one request. */
    public Future<ObjectNode> request(Contact peer, Op op, ObjectNode body) {
        return connect(peer).compose(c -> c.request(op, body));
    }

    public Future<Void> close() {
        closed = true;
        for (PeerConnection c : new ArrayList<>(all)) {
            c.close("shutdown");
        }
        List<Future<?>> closing = new ArrayList<>();
        if (server != null) {
            closing.add(server.close());
        }
        if (client != null) {
            closing.add(client.close());
        }
        return Future.join(closing).mapEmpty();
    }

    void connectionVerified(PeerConnection connection) {
        NodeId id = connection.remote().id();
        int count = connectionsPerPeer.merge(id, 1, Integer::sum);
        if (count > options.limits().connectionsPerPeer()) {
            connection.close("too-many-connections");
            return;
        }
        PeerConnection current = pool.get(id);
        if (current == null || !current.isOpen()) {
            pool.put(id, connection);
        }
        if (all.size() > options.limits().maxConnections()) {
            closeLeastRecentlyUsed(connection);
        }
        handler.peerSeen(connection.remote());
    }

    private void closeLeastRecentlyUsed(PeerConnection keep) {
        PeerConnection oldest = null;
        for (PeerConnection c : all) {
            if (c != keep && c.isOpen() && c.idle() && (oldest == null || c.lastUsedNanos() < oldest.lastUsedNanos())) {
                oldest = c;
            }
        }
        if (oldest != null) {
            oldest.close("shutdown");
        }
    }

    void connectionClosed(PeerConnection connection, boolean wasOpen, String reason) {
        all.remove(connection);
        dialledHosts.remove(connection);
        if (wasOpen) {
            metrics.connectionClosed();
        }
        if (connection.verified() && connection.remote() != null) {
            NodeId id = connection.remote().id();
            connectionsPerPeer.computeIfPresent(id, (k, v) -> v <= 1 ? null : v - 1);
            if (pool.get(id) == connection) {
                pool.remove(id);
            }
        }
    }

    String admitRequest(PeerConnection connection, int frameBytes, long bytesInFlight) {
        return guard.admit(connection.remote().id(), System.nanoTime(), frameBytes, bytesInFlight);
    }

    void ban(NodeId peer, String ip) {
        guard.ban(peer, ip, clock.millis());
    }

    boolean isBanned(NodeId peer, String ip) {
        return guard.isBanned(peer, ip, clock.millis());
    }

    String dialedHost(PeerConnection connection) {
        return dialledHosts.get(connection);
    }

    /** Number of open connections (both directions). */
    public int openConnections() {
        return (int) all.stream().filter(PeerConnection::isOpen).count();
    }

    public Vertx vertx() {
        return vertx;
    }

    public Context context() {
        return context;
    }

    Identity identity() {
        return identity;
    }

    public DhtOptions options() {
        return options;
    }

    Clock clock() {
        return clock;
    }

    DhtMetrics metrics() {
        return metrics;
    }

    Handler handler() {
        return handler;
    }

    Jws jws() {
        return jws;
    }

    SecureRandom random() {
        return random;
    }

    HandshakePolicy handshakePolicy() {
        return handshakePolicy;
    }

    int listenPort() {
        return listenPort;
    }
}
