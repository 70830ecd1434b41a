package io.streembit.cli;

import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A small network of real DHT nodes on 127.0.0.1 in this JVM: the first is the seed of the others. */
final class LocalDht implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(60_000));
    final List<DhtNode> nodes = new ArrayList<>();

    static LocalDht of(int size) throws Exception {
        LocalDht net = new LocalDht();
        try {
            for (int i = 0; i < size; i++) {
                DhtNode node = await(DhtNode.start(net.vertx, Identity.generate(RANDOM), DhtOptions.defaults()));
                if (!net.nodes.isEmpty()) {
                    await(node.bootstrap(List.of(HostPort.parse(net.seed(0)))));
                }
                net.nodes.add(node);
            }
            return net;
        } catch (Exception e) {
            net.close();
            throw e;
        }
    }

    /** One more node, with {@code identity} (a gateway, say), joined through the first. */
    DhtNode add(Identity identity) throws Exception {
        DhtNode node = await(DhtNode.start(vertx, identity, DhtOptions.defaults()));
        nodes.add(node);
        await(node.bootstrap(List.of(HostPort.parse(seed(0)))));
        return node;
    }

    /** "127.0.0.1:PORT" of node {@code i}, for --seed. */
    String seed(int i) {
        return "127.0.0.1:" + nodes.get(i).port();
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
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
