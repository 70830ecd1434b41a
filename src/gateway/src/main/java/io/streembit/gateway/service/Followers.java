package io.streembit.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.streembit.gateway.camel.TelemetryHub;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.FeedFollower;
import io.streembit.gateway.ingest.InFlightLimit;
import io.streembit.gateway.ingest.IngestOptions;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.gateway.registry.Device;
import io.streembit.gateway.registry.DeviceRegistry;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link FeedFollower} per active device: started at boot, on registration; stopped on
 * revocation. Feed records of anyone else that the gateway's node stores as a DHT member (it
 * holds its share of everyone's data) are never opened, only counted as rejected:
 * {@code unregistered} or {@code revoked}.
 */
@Singleton
public class Followers {
    private static final Logger LOG = Logger.getLogger(Followers.class);

    private final Map<String, FeedFollower> running = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final GatewayNode node;
    private final Vertx vertx;
    private final BatchOpener opener;
    private final TelemetryHub hub;
    private final IngestRecorder recorder;
    private final InFlightLimit limit;
    private final IngestOptions options;
    private final DeviceRegistry registry;
    private final Clock clock;

    Followers(
            GatewayNode node,
            Vertx vertx,
            BatchOpener opener,
            TelemetryHub hub,
            IngestRecorder recorder,
            InFlightLimit limit,
            IngestOptions options,
            DeviceRegistry registry,
            Clock clock) {
        this.node = node;
        this.vertx = vertx;
        this.opener = opener;
        this.hub = hub;
        this.recorder = recorder;
        this.limit = limit;
        this.options = options;
        this.registry = registry;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        registry.revokedIds().forEach(revoked::add);
        List<Device> active = registry.active();
        active.forEach(this::start);
        node.whenJoined().onSuccess(v -> {
            // after the followers exist, so a served device's records are never counted as unregistered
            node.node().observeStores(this::onStored);
            LOG.infof("following %d devices", active.size());
        });
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
        if (running.putIfAbsent(device.id, follower) != null) {
            return;
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
        if (!running.containsKey(publisher)) {
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
