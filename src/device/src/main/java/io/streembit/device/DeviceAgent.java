package io.streembit.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.dht.DhtMetrics;
import io.streembit.dht.DhtNode;
import io.streembit.dht.Subscription;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Ack;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A device on the Streembit network: an embedded DHT node plus its feed and its commands.
 *
 * <p>{@link #start} joins the network through the seeds, publishes the Thing Description
 * (record salt {@code td}), follows the gateway's ack record {@code ack/<device account>} and
 * the command queue of every controller. {@link #publish} batches readings into feed entries,
 * each sealed for the gateway, buffered durably and then sent; acks free the buffer, a timer
 * re-sends what is not acknowledged. Commands are checked, executed by the
 * {@link CommandHandler} and answered in the feed ({@code $command-result}).
 *
 * <p>All state lives on one Vert.x context (the node's); public methods may be called from any
 * thread. File work, sealing and the handler run on worker threads.
 */
public final class DeviceAgent {
    private static final Logger LOG = Logger.getLogger(DeviceAgent.class.getName());
    private static final Duration LEDGER_PRUNE = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final String deploymentId;
    private final Context context;
    private final DeviceOptions options;
    private final Clock clock;
    private final DhtNode node;
    private final BufferDirectory files;
    private final DeviceCounters counters = new DeviceCounters();
    private final Batcher batcher;
    private final FeedPublisher publisher;
    private final CommandProcessor processor;
    private final List<CommandFollower> followers = new ArrayList<>();
    private final ThingPublisher thing;
    private Subscription acks;
    private final List<Long> timers = new ArrayList<>();
    private volatile boolean stopped;

    private DeviceAgent(
            Vertx vertx,
            boolean ownsVertx,
            String deploymentId,
            Context context,
            DeviceOptions options,
            CommandHandler handler,
            Clock clock,
            DhtNode node,
            BufferDirectory files) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.deploymentId = deploymentId;
        this.context = context;
        this.options = options;
        this.clock = clock;
        this.node = node;
        this.files = files;
        this.publisher = new FeedPublisher(
                vertx,
                context,
                options,
                files.buffer(),
                node.logWriter(FeedEntries.key(options.identity().publicKey())),
                FeedEntries.standard(),
                clock,
                counters);
        this.batcher = new Batcher(vertx, options.batchMaxReadings(), options.batchMaxDelay(), publisher::accept);
        this.processor = new CommandProcessor(
                vertx, context, options, files.ledger(), handler, clock, counters, this::publishResult);
        this.thing =
                new ThingPublisher(node, vertx, options.identity(), options.thingDescription(), options.tdTtl(), clock);
    }

    /** Starts a device on its own Vert.x instance (closed by {@link #stop()}). */
    public static Future<DeviceAgent> start(DeviceOptions options, CommandHandler handler) {
        return start(Vertx.vertx(), true, options, handler, Clock.systemUTC());
    }

    /** Starts a device on {@code vertx} (left running by {@link #stop()}). */
    public static Future<DeviceAgent> start(Vertx vertx, DeviceOptions options, CommandHandler handler) {
        return start(vertx, false, options, handler, Clock.systemUTC());
    }

    /** As above with an injected clock (record times, command expiry, the node's validation). */
    public static Future<DeviceAgent> start(Vertx vertx, DeviceOptions options, CommandHandler handler, Clock clock) {
        return start(vertx, false, options, handler, clock);
    }

    private static Future<DeviceAgent> start(
            Vertx vertx, boolean ownsVertx, DeviceOptions options, CommandHandler handler, Clock clock) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        Promise<DeviceAgent> started = Promise.promise();
        Host host = new Host();
        vertx.deployVerticle(host).onComplete(deployed -> {
            if (deployed.failed()) {
                if (ownsVertx) {
                    vertx.close();
                }
                started.fail(deployed.cause());
                return;
            }
            Context context = host.context();
            context.runOnContext(v -> {
                BufferDirectory[] opened = new BufferDirectory[1];
                DhtNode[] node = new DhtNode[1];
                context.executeBlocking(
                                () -> opened[0] = BufferDirectory.open(
                                        options.bufferDir(),
                                        options.syncWrites(),
                                        clock.instant().getEpochSecond()),
                                true)
                        .compose(files -> DhtNode.start(
                                vertx,
                                options.identity(),
                                options.dht(),
                                RecordLimits.DEFAULTS,
                                null,
                                clock,
                                DhtMetrics.NOOP))
                        .compose(started1 -> {
                            node[0] = started1;
                            DeviceAgent agent = new DeviceAgent(
                                    vertx,
                                    ownsVertx,
                                    deployed.result(),
                                    context,
                                    options,
                                    handler,
                                    clock,
                                    started1,
                                    opened[0]);
                            return agent.begin().map(agent);
                        })
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                started.complete(ar.result());
                                return;
                            }
                            Future<Void> nodeStopped = node[0] == null ? Future.succeededFuture() : node[0].stop();
                            nodeStopped.onComplete(x -> {
                                if (opened[0] != null) {
                                    opened[0].close();
                                }
                                vertx.undeploy(deployed.result()).onComplete(y -> {
                                    if (ownsVertx) {
                                        vertx.close();
                                    }
                                    started.fail(ar.cause());
                                });
                            });
                        });
            });
        });
        return started.future();
    }

    /**
     * Gives each agent a Vert.x context of its own (a deployment gets one), so that a fleet
     * in one process spreads over the event loops instead of sharing the caller's.
     */
    private static final class Host extends AbstractVerticle {
        Context context() {
            return context;
        }
    }

    /** Joins, recovers the chain if the buffer is new, then starts every follower and timer. */
    private Future<Void> begin() {
        return node.bootstrap(options.seeds())
                .map(peers -> true)
                .recover(e -> {
                    LOG.warning(() -> "device " + account() + " could not join through " + options.seeds() + " ("
                            + e.getMessage() + "); buffering, and retrying in the background");
                    return Future.succeededFuture(false);
                })
                .compose(
                        joined -> joined && files.buffer().lastN() == 0 ? adoptNetworkHead() : Future.succeededFuture())
                .map(v -> {
                    thing.start();
                    NodeId ackKey = Ack.key(options.gateway().publicKey(), account());
                    acks = node.subscribeSlot(ackKey, this::onAckRecord).pollEvery(options.pollInterval());
                    for (PublicKey controller : options.allControllers()) {
                        CommandFollower follower = new CommandFollower(
                                node,
                                vertx,
                                context,
                                controller,
                                options.identity().publicKey(),
                                files.ledger(),
                                processor,
                                options.pollInterval(),
                                counters);
                        followers.add(follower);
                        follower.start();
                    }
                    long tick = Math.max(1000, options.republishInterval().toMillis() / 3);
                    timers.add(vertx.setPeriodic(tick, t -> publisher.republish()));
                    timers.add(vertx.setPeriodic(options.pollInterval().toMillis() * 2, t -> rejoinIfAlone()));
                    timers.add(vertx.setPeriodic(LEDGER_PRUNE.toMillis(), t -> pruneLedger()));
                    publisher.republish(); // after a restart: what is still unacknowledged goes out now
                    return null;
                });
    }

    /**
     * A device whose buffer directory is empty but whose key already has a feed in the network
     * (the directory was lost) continues after the network's last entry instead of starting a
     * second chain at 1, which every reader would refuse as a fork.
     */
    private Future<Void> adoptNetworkHead() {
        NodeId key = FeedEntries.key(options.identity().publicKey());
        return node.getLog(key, 0, 1)
                .compose(page -> page.head() < 1
                        ? Future.<VerifiedRecord>succeededFuture(null)
                        : node.getLog(key, page.head(), 1)
                                .map(last -> last.entries().isEmpty()
                                        ? null
                                        : last.entries().get(0)))
                .<Void>compose(head -> {
                    if (head == null) {
                        return Future.succeededFuture();
                    }
                    LOG.warning(() -> "device " + account()
                            + ": empty buffer, continuing the network's feed after entry " + head.seq());
                    return context.executeBlocking(
                                    () -> {
                                        files.buffer()
                                                .adopt(
                                                        head.seq(),
                                                        head.payload().exp(),
                                                        head.token());
                                        return null;
                                    },
                                    true)
                            .<Void>mapEmpty();
                })
                .recover(e -> {
                    LOG.log(Level.WARNING, "could not look for an existing feed", e);
                    return Future.succeededFuture();
                });
    }

    private Future<Void> onAckRecord(VerifiedRecord record) {
        if (!record.isLog()) {
            publisher.onAck(record.seq());
        }
        return Future.succeededFuture();
    }

    private void rejoinIfAlone() {
        if (!stopped && node.knownPeers() == 0) {
            node.bootstrap(options.seeds()).onFailure(e -> LOG.fine(() -> "rejoin failed: " + e.getMessage()));
        }
    }

    private void pruneLedger() {
        long now = clock.instant().getEpochSecond();
        context.executeBlocking(
                () -> {
                    files.ledger().prune(now);
                    return null;
                },
                true);
    }

    /**
     * Publishes readings (names of the Thing Description's properties or events, checked against
     * it; names starting with {@code $} are the protocol's). Completes with the n of the feed
     * entry that carries them once that entry is in the durable buffer (not when the gateway has
     * it: that is the ack, see {@link #stats()}); fails with a {@link ProtocolException}
     * ({@code schema-violation}, {@code too-large}) for a reading that cannot be published, with
     * {@link BufferFullException} under {@link BufferFullPolicy#BLOCK}, or when stopped.
     */
    public Future<Long> publish(List<Reading> readings) {
        if (readings.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("no readings"));
        }
        int[] sizes = new int[readings.size()];
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            try {
                if (r.name().startsWith("$")) {
                    throw new ProtocolException(
                            ErrorCode.SCHEMA_VIOLATION, "reading names starting with $ are reserved for the protocol");
                }
                options.thingDescription().validateReading(r.name(), r.value());
                sizes[i] = fitting(r);
            } catch (ProtocolException e) {
                return Future.failedFuture(e);
            }
        }
        return onContext(() -> batcher.add(List.copyOf(readings), sizes));
    }

    public Future<Long> publish(Reading... readings) {
        return publish(List.of(readings));
    }

    /** Publishes one reading of {@code name} taken now. */
    public Future<Long> publish(String name, JsonNode value) {
        return publish(new Reading(name, clock.millis(), value));
    }

    /** Closes the open batch now instead of waiting for its size or delay. */
    public Future<Void> flush() {
        return onContext(() -> {
            batcher.flush();
            return Future.succeededFuture();
        });
    }

    private static int fitting(Reading r) throws ProtocolException {
        int size = Batcher.size(r);
        if (size + Batcher.ENTRY_OVERHEAD_BYTES > Batcher.MAX_ENTRY_BYTES) {
            throw new ProtocolException(
                    ErrorCode.TOO_LARGE,
                    "reading '" + r.name() + "' is " + size + " bytes of JSON; a feed entry holds at most "
                            + Batcher.MAX_ENTRY_BYTES);
        }
        return size;
    }

    /** Puts a command result in the feed at once (flushing the batch). */
    private Future<Long> publishResult(CommandResult result) {
        Reading reading = result.toReading(clock.millis());
        int size;
        try {
            size = fitting(reading);
        } catch (ProtocolException e) {
            reading = CommandResult.error(
                            result.id(),
                            ErrorCode.TOO_LARGE.code() + ": the handler's output does not fit in a feed entry")
                    .toReading(clock.millis());
            size = Batcher.size(reading);
        }
        Future<Long> n = batcher.add(List.of(reading), new int[] {size});
        batcher.flush();
        return n;
    }

    /** A snapshot of the agent's counters and buffer. */
    public DeviceStats stats() {
        return counters.snapshot(files.buffer());
    }

    public PublicKey publicKey() {
        return options.identity().publicKey();
    }

    /** The device's account (= node id), 40 hex. */
    public String account() {
        return options.identity().account();
    }

    public DeviceOptions options() {
        return options;
    }

    /** The embedded DHT node. */
    public DhtNode node() {
        return node;
    }

    /** The port the embedded node listens on. */
    public int port() {
        return node.port();
    }

    /** The seq of the Thing Description record last stored in the network, -1 before. */
    public long publishedTdSeq() {
        return thing.publishedSeq();
    }

    /**
     * This device's contact offer (armored), carrying its TD: what an operator registers at the
     * gateway. Host and port are the embedded node's advertised ones.
     */
    public String contactOffer() {
        return ContactOffers.create(
                options.identity(),
                UserType.DEVICE,
                options.dht().contactHost(),
                node.port(),
                "tcp",
                options.thingDescription());
    }

    /**
     * Stops: seals the open batch into the buffer, stops following and sending, stops the node
     * and closes the buffer (and the Vert.x instance if the agent created it). Unacknowledged
     * entries stay in the buffer for the next start.
     */
    public Future<Void> stop() {
        return shutdown(true);
    }

    /**
     * Stops like a killed process would: the open batch is lost (its publish futures fail),
     * nothing is written beyond what already is. For tests of restart behaviour.
     */
    Future<Void> halt() {
        return shutdown(false);
    }

    private Future<Void> shutdown(boolean flush) {
        return onContext(true, () -> {
            if (stopped) {
                return Future.succeededFuture();
            }
            stopped = true;
            timers.forEach(vertx::cancelTimer);
            followers.forEach(CommandFollower::stop);
            if (acks != null) {
                acks.cancel();
            }
            thing.stop();
            if (flush) {
                batcher.flush();
            } else {
                batcher.abandon(new IllegalStateException("device agent halted"));
            }
            // entries being sealed finish first (the ordered queue), so a flushed batch is durable
            Future<Void> sealed = context.executeBlocking(() -> null, true).mapEmpty();
            return sealed.compose(v -> {
                        publisher.stop();
                        return node.stop();
                    })
                    .eventually(() -> context.executeBlocking(
                            () -> {
                                files.close();
                                return null;
                            },
                            true))
                    .eventually(() -> vertx.undeploy(deploymentId))
                    .eventually(() -> ownsVertx ? vertx.close() : Future.succeededFuture())
                    .mapEmpty();
        });
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
        return onContext(false, action);
    }

    private <T> Future<T> onContext(boolean evenStopped, java.util.function.Supplier<Future<T>> action) {
        if (stopped && !evenStopped) {
            return Future.failedFuture(new IllegalStateException("device agent stopped"));
        }
        if (Vertx.currentContext() == context) {
            return action.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }
}
