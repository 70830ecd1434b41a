package io.streembit.dht;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.Records;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Many real nodes on 127.0.0.1 in one JVM, sharing one Vert.x instance. */
final class TestNetwork implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final Vertx vertx;
    final List<DhtNode> nodes = new ArrayList<>();
    final CountingDhtMetrics metrics = new CountingDhtMetrics();

    TestNetwork() {
        vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));
    }

    /** Defaults, with fewer connections per node so 200 nodes fit one process's file descriptors. */
    static DhtOptions testOptions() {
        DhtOptions defaults = DhtOptions.defaults();
        return defaults.withLimits(defaults.limits().withMaxConnections(40));
    }

    DhtNode add(DhtOptions options) throws Exception {
        return add(Identity.generate(RANDOM), options);
    }

    DhtNode add(Identity identity, DhtOptions options) throws Exception {
        DhtNode node =
                await(DhtNode.start(vertx, identity, options, RecordLimits.DEFAULTS, null, Clock.systemUTC(), metrics));
        if (!nodes.isEmpty()) {
            List<HostPort> seeds = new ArrayList<>();
            for (int i = 0; i < Math.min(3, nodes.size()); i++) {
                seeds.add(new HostPort("127.0.0.1", nodes.get(i).port()));
            }
            await(node.bootstrap(seeds));
        }
        nodes.add(node);
        return node;
    }

    /** Starts {@code n} nodes, each joining through the first three. */
    void grow(int n, DhtOptions options) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            add(options);
        }
        System.out.printf(
                "network of %d nodes joined in %d ms%n", nodes.size(), (System.nanoTime() - started) / 1_000_000);
    }

    DhtNode random() {
        return nodes.get(RANDOM.nextInt(nodes.size()));
    }

    void kill(DhtNode node) throws Exception {
        await(node.stop());
        nodes.remove(node);
    }

    static String record(Identity publisher, String salt, long seq, boolean log, JsonNode val) {
        long now = System.currentTimeMillis() / 1000;
        return Records.sign(publisher, salt, seq, now, now + 3600, log, val);
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
