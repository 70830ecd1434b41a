package io.streembit.dht.sim;

import com.sun.management.UnixOperatingSystemMXBean;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.dht.lookup.Lookup;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Real {@link DhtNode}s over TCP on 127.0.0.1 in this JVM, sharing one Vert.x instance. */
final class SocketNetwork implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));
    private final List<DhtNode> nodes = new ArrayList<>();
    private final SecureRandom keys = new SecureRandom();
    private final Random random;

    SocketNetwork(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Fewer connections per node than the default 256, so that every node's sockets (both ends
     * live in this process) fit the file-descriptor limit.
     */
    static DhtOptions options(int maxConnections) {
        DhtOptions defaults = DhtOptions.defaults();
        return defaults.withLimits(defaults.limits().withMaxConnections(maxConnections));
    }

    /**
     * A per-node connection cap for {@code n} nodes in this process: both ends of every
     * connection are descriptors here, so n nodes with c connections each hold about n * (c + 1);
     * keep that within 70% of the process limit, and at most 40.
     */
    static int connectionCap(int n) {
        long limit = 4096;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
        }
        long cap = (long) (limit * 0.7) / n - 1;
        if (cap < 4) {
            throw new IllegalStateException(n + " nodes do not fit " + limit + " file descriptors: use the simulation");
        }
        return (int) Math.min(40, cap);
    }

    /** Starts {@code n} nodes one after the other, each joining through the first three. */
    void grow(int n, DhtOptions options) throws Exception {
        for (int i = 0; i < n; i++) {
            DhtNode node = await(DhtNode.start(vertx, Identity.generate(keys), options));
            List<HostPort> seeds = new ArrayList<>();
            for (int s = 0; s < Math.min(3, nodes.size()); s++) {
                seeds.add(new HostPort("127.0.0.1", nodes.get(s).port()));
            }
            if (!seeds.isEmpty()) {
                await(node.bootstrap(seeds));
            }
            nodes.add(node);
        }
    }

    /** One lookup from {@code origin}, timed on the wall clock, checked against the true closest. */
    LookupSample measure(DhtNode origin, NodeId target) throws Exception {
        List<NodeId> truth = ClosestOracle.closest(
                ids(), target, origin.id(), origin.options().k());
        long started = System.nanoTime();
        Lookup.Result<Void> result = await(origin.lookup(target));
        double millis = (System.nanoTime() - started) / 1e6;
        return LookupSample.of(result, millis, 0, truth);
    }

    DhtNode randomNode() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    NodeId randomId() {
        byte[] bytes = new byte[NodeId.BYTES];
        random.nextBytes(bytes);
        return NodeId.sha1Of(bytes);
    }

    double meanTableSize() {
        return nodes.stream().mapToInt(DhtNode::knownPeers).average().orElse(0);
    }

    private List<NodeId> ids() {
        return nodes.stream().map(DhtNode::id).toList();
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public void close() throws Exception {
        List<Future<Void>> stopping = new ArrayList<>();
        for (DhtNode node : nodes) {
            stopping.add(node.stop());
        }
        Future.join(stopping).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
