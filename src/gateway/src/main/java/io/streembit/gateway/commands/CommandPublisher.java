package io.streembit.gateway.commands;

import io.streembit.dht.DhtNode;
import io.streembit.dht.LogWriter;
import io.streembit.dht.PutResult;
import io.streembit.gateway.ingest.NoLongerServed;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stores queued commands in the DHT as entries of the gateway's command log for each device,
 * strictly in queue order per device: a device reads its queue in order and steps over a
 * position only once it looks expired, so entry n+1 is never stored before n. A failed store
 * is tried again (same sealed token, so a retry after a crash stores the same bytes) with
 * back-off until it succeeds or the command expires, which the expiry sweep then records.
 */
public final class CommandPublisher {
    private static final Logger LOG = Logger.getLogger(CommandPublisher.class);

    /** What happened to one publication, for metrics. */
    public enum Outcome {
        PUBLISHED,
        RETRYING,
        EXPIRED_UNPUBLISHED
    }

    /** Stores the entries of one device's queue: in the gateway, the DHT's {@link LogWriter} of its key. */
    @FunctionalInterface
    interface QueueLog {
        /** Fails with a {@link ProtocolException} when the record itself is refused. */
        Future<PutResult> append(String token);
    }

    /** Runs an action after a wait: in the gateway, a Vert.x timer. */
    @FunctionalInterface
    interface Timers {
        void after(Duration delay, Runnable action);
    }

    private final Function<NodeId, QueueLog> logs;
    private final Future<Void> joined;
    private final Vertx vertx;
    private final Timers timers;
    private final PublicKey gateway;
    private final CommandStore store;
    private final CommandOptions options;
    private final Clock clock;
    private final Consumer<Outcome> metrics;
    private static final int PAGE = 32;

    private final Map<String, DeviceQueue> queues = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** {@code joined}: commands wait for it (a lookup before the routing table is filled finds the wrong nodes). */
    public CommandPublisher(
            DhtNode node,
            Future<Void> joined,
            Vertx vertx,
            PublicKey gateway,
            CommandStore store,
            CommandOptions options,
            Clock clock,
            Consumer<Outcome> metrics) {
        this(
                key -> node.logWriter(key)::append,
                joined,
                vertx,
                (delay, action) -> vertx.setTimer(Math.max(1, delay.toMillis()), t -> action.run()),
                gateway,
                store,
                options,
                clock,
                metrics);
    }

    /** {@code logs}: the writer of a queue's key; {@code timers}: the waits between attempts. */
    CommandPublisher(
            Function<NodeId, QueueLog> logs,
            Future<Void> joined,
            Vertx vertx,
            Timers timers,
            PublicKey gateway,
            CommandStore store,
            CommandOptions options,
            Clock clock,
            Consumer<Outcome> metrics) {
        this.logs = logs;
        this.joined = joined;
        this.vertx = vertx;
        this.timers = timers;
        this.gateway = gateway;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A command of the device was queued: publish its queue (from PostgreSQL, in order). */
    public void submit(StoredCommand command) {
        queues.computeIfAbsent(command.deviceId(), id -> new DeviceQueue(id, command.deviceKey()))
                .wake();
    }

    public void stop() {
        stopped = true;
    }

    /**
     * One device's queue. It holds no commands, only where it stands: each round reads the next
     * QUEUED commands from PostgreSQL, so a DHT outage leaves them there, not in memory.
     */
    private final class DeviceQueue {
        private final String deviceId;
        private final String deviceKey;
        private final Set<String> refused = ConcurrentHashMap.newKeySet();
        private boolean running;
        private boolean again;
        private QueueLog writer;

        DeviceQueue(String deviceId, String deviceKey) {
            this.deviceId = deviceId;
            this.deviceKey = deviceKey;
        }

        synchronized void wake() {
            if (running) {
                again = true;
                return;
            }
            running = true;
            vertx.runOnContext(v -> round(options.retryInitial()));
        }

        private void round(Duration delay) {
            if (stopped) {
                return;
            }
            synchronized (this) {
                again = false;
            }
            vertx.executeBlocking(() -> store.queued(deviceId, clock.instant(), PAGE), false)
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            LOG.debugf(ar.cause(), "cannot read the queue of %s, again in %s", deviceId, delay);
                            timers.after(delay, () -> round(later(delay)));
                            return;
                        }
                        List<StoredCommand> page = ar.result().stream()
                                .filter(c -> !refused.contains(c.id()))
                                .toList();
                        publishAll(page, 0, options.retryInitial());
                    });
        }

        private void publishAll(List<StoredCommand> page, int index, Duration delay) {
            if (stopped) {
                return;
            }
            if (index >= page.size()) {
                synchronized (this) {
                    if (!again && page.size() < PAGE) {
                        running = false;
                        return;
                    }
                }
                round(options.retryInitial());
                return;
            }
            StoredCommand command = page.get(index);
            if (!clock.instant().isBefore(command.expiresAt())) {
                metrics.accept(Outcome.EXPIRED_UNPUBLISHED);
                publishAll(page, index + 1, options.retryInitial()); // the sweep records it; the device steps over it
                return;
            }
            QueueLog log;
            try {
                log = writer();
            } catch (ProtocolException e) {
                LOG.warnf("the stored key of %s does not parse: %s", deviceId, e.getMessage());
                running = false;
                return;
            }
            joined.compose(v -> log.append(command.token()))
                    .compose(result -> stored(command, result))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            metrics.accept(Outcome.PUBLISHED);
                            publishAll(page, index + 1, options.retryInitial());
                        } else if (ar.cause() instanceof NoLongerServed) {
                            // another replica owns the device's shard now and publishes its queue from PostgreSQL
                            LOG.debugf(
                                    "command %s for %s: %s",
                                    command.id(), deviceId, ar.cause().getMessage());
                            synchronized (this) {
                                running = false;
                            }
                            queues.remove(deviceId, this);
                        } else if (ar.cause() instanceof ProtocolException e) {
                            // the sealed record itself is refused: retrying cannot help; it expires in time
                            LOG.warnf("command %s for %s cannot be stored: %s", command.id(), deviceId, e.getMessage());
                            refused.add(command.id());
                            publishAll(page, index + 1, options.retryInitial());
                        } else {
                            metrics.accept(Outcome.RETRYING);
                            LOG.debugf(ar.cause(), "command %s not stored yet, again in %s", command.id(), delay);
                            timers.after(delay, () -> publishAll(page, index, later(delay)));
                        }
                    });
        }

        private QueueLog writer() throws ProtocolException {
            if (writer == null) {
                writer = logs.apply(Commands.key(gateway, PublicKey.fromHex(deviceKey)));
            }
            return writer;
        }

        private Future<Void> stored(StoredCommand command, PutResult result) {
            if (!result.succeeded()) {
                return Future.failedFuture(new IllegalStateException(
                        "no storing node took command " + command.id() + ": " + result.errors()));
            }
            return vertx.executeBlocking(() -> store.markPublished(command.id(), clock.instant()), false)
                    .mapEmpty();
        }
    }

    private Duration later(Duration delay) {
        return delay.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax() : delay.multipliedBy(2);
    }
}
