package io.streembit.gateway.commands;

import io.streembit.dht.DhtNode;
import io.streembit.dht.LogWriter;
import io.streembit.dht.PutResult;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores queued commands in the DHT as entries of the gateway's command log for each device,
 * strictly in queue order per device: a device reads its queue in order and steps over a
 * position only once it looks expired, so entry n+1 is never stored before n. A failed store
 * is tried again (same sealed token, so a retry after a crash stores the same bytes) with
 * back-off until it succeeds or the command expires, which the expiry sweep then records.
 */
public final class CommandPublisher {
    private static final Logger LOG = Logger.getLogger(CommandPublisher.class.getName());

    /** What happened to one publication, for metrics. */
    public enum Outcome { PUBLISHED, RETRYING, EXPIRED_UNPUBLISHED }

    private final DhtNode node;
    private final Future<Void> joined;
    private final Vertx vertx;
    private final PublicKey gateway;
    private final CommandStore store;
    private final CommandOptions options;
    private final Clock clock;
    private final Consumer<Outcome> metrics;
    private final Map<String, DeviceQueue> queues = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** {@code joined}: commands wait for it (a lookup before the routing table is filled finds the wrong nodes). */
    public CommandPublisher(DhtNode node, Future<Void> joined, Vertx vertx, PublicKey gateway, CommandStore store,
                            CommandOptions options, Clock clock, Consumer<Outcome> metrics) {
        this.node = node;
        this.joined = joined;
        this.vertx = vertx;
        this.gateway = gateway;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Queues {@code command} behind the device's earlier ones. */
    public void submit(StoredCommand command) {
        queues.computeIfAbsent(command.deviceId(), id -> new DeviceQueue()).add(command);
    }

    /** Commands waiting to be stored in the DHT, all devices together. */
    public int pending() {
        return queues.values().stream().mapToInt(DeviceQueue::size).sum();
    }

    public void stop() {
        stopped = true;
    }

    private final class DeviceQueue {
        private final ArrayDeque<StoredCommand> waiting = new ArrayDeque<>();
        private boolean running;
        private LogWriter writer;

        synchronized void add(StoredCommand command) {
            waiting.add(command);
            if (!running) {
                running = true;
                vertx.runOnContext(v -> next());
            }
        }

        synchronized int size() {
            return waiting.size() + (running ? 1 : 0);
        }

        private void next() {
            StoredCommand command;
            synchronized (this) {
                command = waiting.poll();
                if (command == null || stopped) {
                    running = false;
                    return;
                }
            }
            publish(command, options.retryInitial());
        }

        private void publish(StoredCommand command, Duration delay) {
            if (stopped) {
                return;
            }
            if (!clock.instant().isBefore(command.expiresAt())) {
                metrics.accept(Outcome.EXPIRED_UNPUBLISHED);
                next(); // the expiry sweep records it; the device steps over the empty position
                return;
            }
            if (writer == null) {
                try {
                    writer = node.logWriter(Commands.key(gateway, PublicKey.fromHex(command.deviceKey())));
                } catch (ProtocolException e) {
                    throw new IllegalStateException("the stored key of " + command.deviceId() + " does not parse", e);
                }
            }
            LogWriter log = writer;
            joined.compose(v -> log.append(command.token())).compose(result -> stored(command, result)).onComplete(ar -> {
                if (ar.succeeded()) {
                    metrics.accept(Outcome.PUBLISHED);
                    next();
                } else if (ar.cause() instanceof ProtocolException e) {
                    // the sealed record itself is refused (it expired on the way): nothing to retry
                    LOG.log(Level.WARNING, "command {0} for {1} cannot be stored: {2}",
                            new Object[]{command.id(), command.deviceId(), e.getMessage()});
                    next();
                } else {
                    metrics.accept(Outcome.RETRYING);
                    LOG.log(Level.FINE, "command " + command.id() + " not stored yet, again in " + delay, ar.cause());
                    Duration later = delay.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax()
                            : delay.multipliedBy(2);
                    vertx.setTimer(Math.max(1, delay.toMillis()), t -> publish(command, later));
                }
            });
        }

        private Future<Void> stored(StoredCommand command, PutResult result) {
            if (!result.succeeded()) {
                return Future.failedFuture(new IllegalStateException("no storing node took command " + command.id()
                        + ": " + result.errors()));
            }
            return vertx.executeBlocking(() -> store.markPublished(command.id(), clock.instant()), false).mapEmpty();
        }
    }
}
