package io.streembit.gateway.bench;

import io.streembit.dht.DhtMetrics;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streembit.gateway.testing.DhtTestNetwork.await;

/**
 * The harness's DHT: a few real nodes on 127.0.0.1 in this JVM (as {@link DhtTestNetwork}, with
 * two differences). Log replication is 1, so each feed entry is validated and stored by one
 * node rather than five: five storing nodes' signature checks on the same two cores would
 * measure the network, not the gateway. And the harness's nodes take requests without the
 * per-peer rate limit (the gateway's node pulls pages and sends acks much faster than 500
 * requests/s to each of them); the gateway's own node keeps its production limits. Each node
 * runs on its own verticle, so the nodes share both event loops.
 */
final class BenchDht implements AutoCloseable {
    final Vertx vertx;
    final List<DhtNode> nodes = new ArrayList<>();

    BenchDht(int size) throws Exception {
        vertx = Vertx.vertx(
                new VertxOptions().setBlockedThreadCheckInterval(10_000).setEventLoopPoolSize(2));
        for (int i = 0; i < size; i++) {
            DhtNode node = await(startOnOwnContext());
            if (!nodes.isEmpty()) {
                await(node.bootstrap(seeds().stream().map(HostPort::parse).toList()));
            }
            nodes.add(node);
        }
    }

    /**
     * Starts a node from a verticle of its own: {@code DhtNode.start} binds the node to the
     * caller's context, and every call from the main thread would get the same one (one event
     * loop for all nodes). Verticles get the event loops in turn.
     */
    private Future<DhtNode> startOnOwnContext() {
        Promise<DhtNode> node = Promise.promise();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                DhtNode.start(
                                vertx,
                                Identity.generate(DhtTestNetwork.RANDOM),
                                options(),
                                RecordLimits.DEFAULTS,
                                new ServedPages(),
                                Clock.systemUTC(),
                                DhtMetrics.NOOP)
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                node.complete(ar.result());
                                started.complete();
                            } else {
                                node.fail(ar.cause());
                                started.fail(ar.cause());
                            }
                        });
            }
        });
        return node.future();
    }

    static DhtOptions options() {
        DhtOptions base = DhtTestNetwork.options().withReplication(8, 1);
        DhtOptions.PeerLimits l = base.limits();
        DhtOptions.PeerLimits open = new DhtOptions.PeerLimits(
                1_000_000,
                1_000_000,
                l.connectionsPerPeer(),
                l.handshakesPerIp(),
                64L << 20,
                l.banDuration(),
                l.maxConnections(),
                Duration.ofMinutes(30));
        return base.withLimits(open);
    }

    /** The first three nodes, as "host:port". */
    List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(3, nodes.size()); i++) {
            seeds.add("127.0.0.1:" + nodes.get(i).port());
        }
        return seeds;
    }

    /** Index of the harness node closest to {@code key}, or -1 when {@code other} is closer than all of them. */
    int closest(NodeId key, NodeId other) {
        int best = -1;
        byte[] bestDistance = other.distance(key);
        for (int i = 0; i < nodes.size(); i++) {
            byte[] d = nodes.get(i).id().distance(key);
            if (Arrays.compareUnsigned(d, bestDistance) < 0) {
                best = i;
                bestDistance = d;
            }
        }
        return best;
    }

    @Override
    public void close() throws Exception {
        for (DhtNode node : nodes) {
            node.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
