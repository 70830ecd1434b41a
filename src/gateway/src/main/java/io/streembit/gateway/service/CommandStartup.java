package io.streembit.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.streembit.gateway.cluster.ClusterMode;
import io.streembit.gateway.commands.CommandPublisher;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.gateway.node.GatewayNode;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * At start, once the node has joined: publishes again every command still QUEUED (stored
 * before a crash or a restart but not yet in the DHT; the same sealed token, so a command the
 * DHT had already taken is stored as the same bytes). The expiry sweep and the results outbox
 * run on the scheduler ({@link CommandSchedule}).
 */
@ApplicationScoped
public class CommandStartup {
    private static final Logger LOG = Logger.getLogger(CommandStartup.class);

    @Inject
    CommandStore store;

    @Inject
    CommandPublisher publisher;

    @Inject
    GatewayNode node;

    @Inject
    Vertx vertx;

    @Inject
    ClusterMode cluster;

    void onStart(@Observes StartupEvent event) {
        if (cluster.enabled()) {
            return; // each shard's owner publishes its commands when granted the shard (ClusterService)
        }
        node.whenJoined().onSuccess(v -> resubmit());
    }

    private void resubmit() {
        vertx.executeBlocking(
                        () -> {
                            List<StoredCommand> queued = store.firstQueuedPerDevice();
                            queued.forEach(publisher::submit);
                            if (!queued.isEmpty()) {
                                LOG.infof(
                                        "publishing the commands of %d devices queued before the start", queued.size());
                            }
                            return null;
                        },
                        false)
                .onFailure(e -> {
                    LOG.warnf("cannot read the queued commands (%s); trying again in 5 s", e.getMessage());
                    vertx.setTimer(5_000, t -> resubmit());
                });
    }
}
