package io.streembit.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.streembit.gateway.camel.TelemetryHub;
import io.streembit.gateway.cluster.ClusterMode;
import io.streembit.gateway.cluster.ShardDevices;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.FeedFollower;
import io.streembit.gateway.ingest.InFlightLimit;
import io.streembit.gateway.ingest.IngestOptions;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.registry.Device;
import io.streembit.gateway.registry.DeviceRegistry;
import io.streembit.gateway.registry.DeviceStatus;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link FeedFollower} per active device: started at boot, on registration; stopped on
 * revocation. Feed records of anyone else that the gateway's node stores as a DHT member (it
 * holds its share of everyone's data) are never opened, only counted as rejected:
 * {@code unregistered} or {@code revoked}.
 *
 * <p>In a cluster ({@link ClusterMode}) only the devices of the shards this replica owns are
 * followed: {@link #follow} when shards are granted, {@link #unfollow} when they go, and
 * {@link #rescan} every few seconds for devices registered or revoked through other replicas.
 * Records of devices other replicas serve are not counted.
 */
@Singleton
public class Followers {
    private static final Logger LOG = Logger.getLogger(Followers.class);

    private final Map<String, FeedFollower> running = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Object shardLock = new Object();
    private final GatewayNode node;
    private final Vertx vertx;
    private final BatchOpener opener;
    private final TelemetryHub hub;
    private final IngestRecorder recorder;
    private final InFlightLimit limit;
    private final IngestOptions options;
    private final DeviceRegistry registry;
    private final Clock clock;
    private final ClusterMode cluster;

    Followers(
            GatewayNode node,
            Vertx vertx,
            BatchOpener opener,
            TelemetryHub hub,
            IngestRecorder recorder,
            InFlightLimit limit,
            IngestOptions options,
            DeviceRegistry registry,
            Clock clock,
            ClusterMode cluster) {
        this.node = node;
        this.vertx = vertx;
        this.opener = opener;
        this.hub = hub;
        this.recorder = recorder;
        this.limit = limit;
        this.options = options;
        this.registry = registry;
        this.clock = clock;
        this.cluster = cluster;
    }

    void onStart(@Observes StartupEvent event) {
        registry.revokedIds().forEach(revoked::add);
        // in a cluster, the shards' grants start the followers (ClusterService)
        List<Device> active = cluster.enabled() ? List.of() : registry.active();
        hub.whenDeliverable().thenRun(() -> active.forEach(this::start)).exceptionally(e -> {
            LOG.errorf(e, "cannot start following the registered devices");
            return null;
        });
        node.whenJoined().onSuccess(v -> {
            // after the followers exist, so a served device's records are never counted as unregistered
            node.node().observeStores(this::onStored);
            if (!cluster.enabled()) {
                LOG.infof("following %d devices", active.size());
            }
        });
    }

    /** Completes once batches can go through (ClusterService joins the group then). */
    public java.util.concurrent.CompletionStage<Void> whenDeliverable() {
        return hub.whenDeliverable();
    }

    /** Follows the active devices of {@code shards}, just granted to this replica, from their cursors. */
    public void follow(Set<Integer> shards, ShardDevices devices) throws SQLException {
        Set<String> ids = devices.active(shards);
        startAll(ids);
        LOG.infof("following the %d devices of shards %s", ids.size(), shards);
    }

    /**
     * Stops following the devices of {@code shards} and waits, at most {@code wait}, for the
     * batches they have in flight to be committed or given up.
     */
    public void unfollow(Set<Integer> shards, Duration wait) {
        List<Future<Void>> draining = new ArrayList<>();
        synchronized (shardLock) { // the shards are no longer owned: no start() can add to them after this
            for (String id : List.copyOf(running.keySet())) {
                if (shards.contains(cluster.shardOf(id))) {
                    FeedFollower follower = running.remove(id);
                    if (follower != null) {
                        draining.add(follower.stopAndDrain());
                        recorder.unfollow(id);
                    }
                }
            }
        }
        if (wait.isZero() || draining.isEmpty()) {
            return;
        }
        try {
            Future.join(draining).toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf(
                    "shards %s handed over with batches still in flight after %s: the fence refuses them",
                    shards, wait);
        } catch (ExecutionException e) {
            // a failed batch is finished too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Brings the followed devices in line with PostgreSQL for the shards this replica owns:
     * devices registered through another replica are started, revoked ones stopped.
     */
    public void rescan(Set<Integer> owned, ShardDevices devices) throws SQLException {
        Set<String> active = devices.active(owned);
        for (String id : List.copyOf(running.keySet())) {
            if (!active.contains(id)
                    && owned.contains(cluster.shardOf(id))
                    && registry.find(id)
                            .map(d -> d.status != DeviceStatus.ACTIVE)
                            .orElse(true)) {
                revoke(id);
            }
        }
        Set<String> missing = new HashSet<>(active);
        missing.removeAll(running.keySet());
        startAll(missing);
    }

    private void startAll(Set<String> ids) {
        List<String> list = List.copyOf(ids);
        for (int from = 0; from < list.size(); from += 1_000) {
            for (Device device : registry.active(list.subList(from, Math.min(list.size(), from + 1_000)))) {
                if (cluster.serves(device.id)) {
                    start(device);
                }
            }
        }
    }

    /**
     * Starts following {@code device} from its committed cursor once the node has joined (no-op
     * when it is followed already).
     */
    void start(Device device) {
        revoked.remove(device.id);
        ServedDevice served;
        try {
            served = served(device);
        } catch (ProtocolException e) {
            LOG.errorf("device %s cannot be followed: %s", device.id, e.getMessage());
            return;
        }
        FeedFollower follower = new FeedFollower(
                node.node(), vertx, node.identity(), served, opener, hub, recorder, limit, options, clock);
        synchronized (shardLock) { // a shard's unfollow either sees this follower or this sees the shard gone
            if (!cluster.serves(device.id)) {
                return; // another replica owns its shard and picks it up on its next rescan
            }
            if (running.putIfAbsent(device.id, follower) != null) {
                return;
            }
        }
        recorder.follow(served, follower::cursor);
        node.whenJoined().onSuccess(v -> {
            if (running.get(device.id) == follower) { // not revoked meanwhile
                follower.start();
            }
        });
    }

    /** Stops following a revoked device; its feed records count as {@code revoked} from now on. */
    void revoke(String deviceId) {
        revoked.add(deviceId);
        stop(deviceId);
    }

    private void onStored(VerifiedRecord record) {
        if (!record.isLog() || !FeedEntries.SALT.equals(record.payload().salt())) {
            return;
        }
        String publisher = record.publisher().nodeId().hex();
        if (!running.containsKey(publisher) && cluster.serves(publisher)) {
            recorder.rejected(revoked.contains(publisher) ? "revoked" : "unregistered");
        }
    }

    private void stop(String deviceId) {
        FeedFollower follower = running.remove(deviceId);
        if (follower != null) {
            follower.stop();
            recorder.unfollow(deviceId);
        }
    }

    public int count() {
        return running.size();
    }

    static ServedDevice served(Device device) throws ProtocolException {
        return new ServedDevice(
                device.id,
                PublicKey.fromHex(device.publicKey),
                ThingDescription.parse(device.td),
                device.cursorSeq,
                device.cursorHash);
    }

    @PreDestroy
    void stopAll() {
        running.keySet().forEach(this::stop);
    }
}
