package io.streembit.gateway.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's DHT node, on Quarkus' own Vert.x. Started when first needed (at start-up, by
 * the followers); joins through the seeds in the background and keeps retrying until some seed
 * answers, so a gateway that starts before its network becomes ready when the network is there.
 */
@Singleton
public class GatewayNode {
    private static final Logger LOG = Logger.getLogger(GatewayNode.class);

    private final DhtNode node;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final Identity identity;
    private final List<HostPort> seeds;
    private final Promise<Void> joined = Promise.promise();
    private volatile boolean closed;

    GatewayNode(Vertx vertx, Identity identity, NodeKey nodeKey, GatewayConfig config, MeterRegistry registry)
            throws Exception {
        this.vertx = vertx;
        this.config = config;
        this.identity = identity;
        this.seeds = seeds(config.dht().seeds().orElse(List.of()));
        this.node = DhtNode.start(
                        vertx,
                        nodeKey.identity(),
                        options(config),
                        RecordLimits.DEFAULTS,
                        null,
                        Clock.systemUTC(),
                        new MicrometerDhtMetrics(registry))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        LOG.infof(
                "gateway DHT node %s listening on %s:%d (gateway account %s)",
                node.id().hex(), node.contact().host(), node.port(), identity.account());
        registry.gauge("streembit.dht.peers", node, DhtNode::knownPeers);
        join();
    }

    static DhtOptions options(GatewayConfig config) throws ProtocolException {
        GatewayConfig.Dht dht = config.dht();
        DhtOptions options = DhtOptions.defaults()
                .withHost(dht.host())
                .withPort(dht.port())
                .withNetworkId(dht.networkId())
                .withVerifyOnWorkers(dht.verifyOnWorkers())
                .withStoreForOthers(dht.storeForOthers());
        options = options.withLimits(options.limits().withRequestsPerSecond(dht.peerRequestsPerSecond()));
        if (dht.advertisedHost().isPresent()) {
            options = options.withAdvertisedHost(dht.advertisedHost().get());
        }
        if (dht.allowList().isPresent()) {
            Set<PublicKey> keys = new HashSet<>();
            for (String hex : dht.allowList().get()) {
                keys.add(PublicKey.fromHex(hex.trim()));
            }
            options = options.withAllowList(keys);
        }
        if (dht.dataDir().isPresent()) {
            options = options.withDataDir(dht.dataDir().get());
        }
        return options;
    }

    /**
     * The configured seeds, read once before the node starts: a malformed one stops the start
     * with its value, instead of failing every join attempt for as long as the gateway runs.
     */
    static List<HostPort> seeds(List<String> configured) {
        List<HostPort> seeds = new ArrayList<>();
        for (String seed : configured) {
            try {
                seeds.add(HostPort.parse(seed.trim()));
            } catch (IllegalArgumentException e) {
                // one line names the key and the value; the cause would only repeat it
                throw new IllegalArgumentException("streembit.dht.seeds: " + e.getMessage());
            }
        }
        return List.copyOf(seeds);
    }

    private void join() {
        if (seeds.isEmpty()) {
            joined.tryComplete(); // the first node of its network: nothing to join
            return;
        }
        node.bootstrap(seeds).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.succeeded()) {
                joined.tryComplete();
                LOG.infof("joined the DHT through %s: %d peers known", seeds, ar.result());
            } else {
                LOG.warnf(
                        "cannot join the DHT through %s (%s); retrying in %d s",
                        seeds, ar.cause().getMessage(), config.dht().joinRetry().toSeconds());
                vertx.setTimer(config.dht().joinRetry().toMillis(), t -> join());
            }
        });
    }

    public DhtNode node() {
        return node;
    }

    /** The gateway key (shared by every replica), not the node's own: what records are signed with. */
    public Identity identity() {
        return identity;
    }

    /** True once the node joined through a seed (or has none to join). */
    public boolean joined() {
        return joined.future().isComplete();
    }

    /**
     * Completes once joined. Subscriptions wait for it: a lookup before the routing table is
     * filled finds the wrong storing nodes.
     */
    public Future<Void> whenJoined() {
        return joined.future();
    }

    /** The gateway's signed contact offer, armored: what a device is provisioned with. */
    public String offer() {
        return ContactOffers.create(identity, UserType.GATEWAY, node.contact().host(), node.port(), "tcp", null);
    }

    @PreDestroy
    void close() throws Exception {
        closed = true;
        node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
