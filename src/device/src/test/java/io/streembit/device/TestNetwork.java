package io.streembit.device;

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

/** Real DHT nodes on 127.0.0.1 in one JVM, sharing one Vert.x instance (the dht module's pattern). */
final class TestNetwork implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final Vertx vertx;
    final List<DhtNode> nodes = new ArrayList<>();

    TestNetwork() {
        vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));
    }

    static DhtOptions testOptions() {
        DhtOptions defaults = DhtOptions.defaults();
        return defaults.withLimits(defaults.limits().withMaxConnections(40));
    }

    DhtNode add(Identity identity) throws Exception {
        DhtNode node = await(DhtNode.start(
                vertx, identity, testOptions(), RecordLimits.DEFAULTS, null, Clock.systemUTC(), DhtMetrics.NOOP));
        if (!nodes.isEmpty()) {
            await(node.bootstrap(seeds()));
        }
        nodes.add(node);
        return node;
    }

    void grow(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            add(Identity.generate(RANDOM));
        }
    }

    /** The first three nodes. */
    List<HostPort> seeds() {
        List<HostPort> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(3, nodes.size()); i++) {
            seeds.add(new HostPort("127.0.0.1", nodes.get(i).port()));
        }
        return seeds;
    }

    static <T> T await(Future<T> future) throws Exception {
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
