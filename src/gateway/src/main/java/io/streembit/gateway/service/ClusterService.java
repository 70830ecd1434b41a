package io.streembit.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.streembit.gateway.cluster.ClusterMode;
import io.streembit.gateway.cluster.ShardDevices;
import io.streembit.gateway.cluster.ShardEpochs;
import io.streembit.gateway.cluster.ShardOwnership;
import io.streembit.gateway.commands.CommandPublisher;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This replica's part in a cluster (off by default): joins the group ({@link ShardOwnership}) and
 * turns its shards into work: on a grant, the shards' devices are followed and their QUEUED
 * commands published; on a revoke, their followers stop and their in-flight batches end before
 * the shards go; every {@code rescan-interval}, devices registered or revoked and commands queued
 * through other replicas are picked up. A shard this replica learns it lost through the fence
 * (a refused write) is unfollowed at once.
 */
@Singleton
public class ClusterService {
    private static final Logger LOG = Logger.getLogger(ClusterService.class);

    private final ClusterMode mode;
    private final GatewayConfig.Cluster config;
    private final String bootstrap;
    private final Followers followers;
    private final CommandStore commands;
    private final CommandPublisher publisher;
    private final Vertx vertx;
    private final Clock clock;
    private final ShardDevices devices;
    private final AtomicBoolean rescanning = new AtomicBoolean();
    private volatile ShardOwnership ownership;
    private volatile long rescanTimer = -1;

    ClusterService(
            ClusterMode mode,
            GatewayConfig config,
            DataSource dataSource,
            Followers followers,
            CommandStore commands,
            CommandPublisher publisher,
            Vertx vertx,
            Clock clock) {
        this.mode = mode;
        this.config = config.cluster();
        this.bootstrap = this.config
                .bootstrapServers()
                .or(() -> config.sinks().kafka().bootstrapServers())
                .orElse(null);
        this.followers = followers;
        this.commands = commands;
        this.publisher = publisher;
        this.vertx = vertx;
        this.clock = clock;
        this.devices =
                mode.epochs().map(e -> new ShardDevices(dataSource, e.shards())).orElse(null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!mode.enabled()) {
            return;
        }
        ShardEpochs epochs = mode.epochs().orElseThrow();
        var settings = new ShardOwnership.Settings(
                bootstrap,
                config.groupId(),
                config.topic(),
                config.sessionTimeout(),
                config.heartbeatInterval(),
                Duration.ofSeconds(5));
        ShardOwnership owner = new ShardOwnership(settings, epochs, new Handover(), clock);
        ownership = owner;
        mode.ownership(owner::owns);
        epochs.onLost(shard -> vertx.executeBlocking(
                () -> {
                    followers.unfollow(Set.of(shard), Duration.ZERO);
                    return null;
                },
                false));
        // shards are taken only once their batches can be delivered: a grant before the routes run
        // would leave the shards' devices waiting out the ingest back-off
        followers
                .whenDeliverable()
                .thenRun(() -> {
                    owner.start();
                    rescanTimer = vertx.setPeriodic(config.rescanInterval().toMillis(), t -> rescan());
                    LOG.infof(
                            "cluster mode: member %s of group %s (%s, Kafka %s)",
                            epochs.memberId(), config.groupId(), epochs.shards(), bootstrap);
                })
                .exceptionally(e -> {
                    LOG.errorf(e, "cannot join the cluster group %s", config.groupId());
                    return null;
                });
    }

    /** The group membership, in cluster mode once started. */
    public Optional<ShardOwnership> ownership() {
        return Optional.ofNullable(ownership);
    }

    public ClusterMode mode() {
        return mode;
    }

    public String groupId() {
        return config.groupId();
    }

    private final class Handover implements ShardOwnership.Handover {
        @Override
        public void assigned(Set<Integer> shards) {
            try {
                followers.follow(shards, devices);
            } catch (SQLException e) {
                LOG.warnf(
                        "cannot read the devices of shards %s (%s); the next rescan tries again",
                        shards, e.getMessage());
            }
            publishQueued(shards);
        }

        @Override
        public void revoked(Set<Integer> shards) {
            followers.unfollow(shards, config.handoverTimeout());
        }

        @Override
        public void lost(Set<Integer> shards) {
            followers.unfollow(shards, Duration.ZERO);
        }
    }

    private void rescan() {
        ShardOwnership owner = ownership;
        if (owner == null || !rescanning.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(
                        () -> {
                            Set<Integer> owned = owner.owned();
                            if (!owned.isEmpty()) {
                                followers.rescan(owned, devices);
                                publishQueued(owned);
                            }
                            return null;
                        },
                        false)
                .onComplete(ar -> {
                    rescanning.set(false);
                    if (ar.failed()) {
                        LOG.debugf(ar.cause(), "cluster rescan failed");
                    }
                });
    }

    /** Publishes the QUEUED commands of {@code shards}, whichever replica queued them. */
    private void publishQueued(Set<Integer> shards) {
        try {
            List<StoredCommand> queued = commands.firstQueuedPerDevice();
            for (StoredCommand command : queued) {
                if (shards.contains(mode.shardOf(command.deviceId())) && mode.serves(command.deviceId())) {
                    publisher.submit(command);
                }
            }
        } catch (SQLException e) {
            LOG.debugf("cannot read the queued commands (%s); the next rescan tries again", e.getMessage());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        vertx.cancelTimer(rescanTimer);
        ShardOwnership owner = ownership;
        if (owner != null) {
            owner.close(); // hands the shards back: the other replicas take them over at once
        }
    }
}
