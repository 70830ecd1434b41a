package io.streembit.gateway.testing;

import io.streembit.dht.DhtMetrics;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Real DHT nodes on 127.0.0.1 in the test JVM, on a Vert.x instance of their own (not the
 * gateway's): the network the gateway and the SDK devices join through {@link #seeds()}.
 */
public final class DhtTestNetwork implements AutoCloseable {
    public static final SecureRandom RANDOM = new SecureRandom();

    public final Vertx vertx;
    public final List<DhtNode> nodes = new ArrayList<>();

    public DhtTestNetwork(int size) throws Exception {
        vertx = Vertx.vertx(
                new VertxOptions().setBlockedThreadCheckInterval(10_000).setEventLoopPoolSize(2));
        for (int i = 0; i < size; i++) {
            add();
        }
    }

    public static DhtOptions options() {
        DhtOptions defaults = DhtOptions.defaults();
        return defaults.withLimits(defaults.limits().withMaxConnections(200));
    }

    public DhtNode add() throws Exception {
        DhtNode node = await(DhtNode.start(
                vertx,
                Identity.generate(RANDOM),
                options(),
                RecordLimits.DEFAULTS,
                null,
                Clock.systemUTC(),
                DhtMetrics.NOOP));
        if (!nodes.isEmpty()) {
            await(node.bootstrap(seeds().stream().map(HostPort::parse).toList()));
        }
        nodes.add(node);
        return node;
    }

    /** The first three nodes, as "host:port". */
    public List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(3, nodes.size()); i++) {
            seeds.add("127.0.0.1:" + nodes.get(i).port());
        }
        return seeds;
    }

    public static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public void close() throws Exception {
        for (DhtNode node : nodes) {
            node.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
