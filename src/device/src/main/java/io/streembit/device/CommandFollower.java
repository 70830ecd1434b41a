package io.streembit.device;

import io.streembit.dht.DhtNode;
import io.streembit.dht.Subscription;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Follows one controller's command queue for this device, from the ledger's cursor on, one
 * command at a time in queue order, advancing the cursor after each. The DHT subscription
 * delivers seqs strictly in order, so a position whose entry is gone (commands expire with
 * their record) would stall it for good: a watchdog that sees the same hole twice, one check
 * apart, skips to the next entry present. Commands in the hole had expired, so none is lost
 * that could still run.
 */
final class CommandFollower {
    private static final Logger LOG = Logger.getLogger(CommandFollower.class.getName());

    private final DhtNode node;
    private final Vertx vertx;
    private final Context context;
    private final PublicKey controller;
    private final NodeId key;
    private final CommandLedger ledger;
    private final CommandProcessor processor;
    private final Duration poll;
    private final DeviceCounters counters;
    private Subscription subscription;
    private long watchdog = -1;
    private long suspectedHole = -1;
    private boolean stopped;

    CommandFollower(
            DhtNode node,
            Vertx vertx,
            Context context,
            PublicKey controller,
            PublicKey device,
            CommandLedger ledger,
            CommandProcessor processor,
            Duration poll,
            DeviceCounters counters) {
        this.node = node;
        this.vertx = vertx;
        this.context = context;
        this.controller = controller;
        this.key = Commands.key(controller, device);
        this.ledger = ledger;
        this.processor = processor;
        this.poll = poll;
        this.counters = counters;
    }

    void start() {
        subscribe(ledger.cursor(controller));
        watchdog = vertx.setPeriodic(poll.toMillis() * 3, t -> checkForHole());
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(watchdog);
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** The next queue position this follower will deliver. */
    long nextSeq() {
        return subscription == null ? ledger.cursor(controller) : subscription.nextSeq();
    }

    private void subscribe(long from) {
        Subscription current = node.subscribeLog(key, from, record -> {
            if (stopped) {
                return Future.failedFuture(new IllegalStateException("stopped"));
            }
            long next = record.seq() + 1;
            return processor
                    .process(record)
                    .compose(v -> context.executeBlocking(
                            () -> {
                                ledger.advance(controller, next);
                                return null;
                            },
                            true))
                    .mapEmpty();
        });
        current.pollEvery(poll);
        subscription = current;
    }

    private void checkForHole() {
        if (stopped) {
            return;
        }
        Subscription current = subscription;
        long next = current.nextSeq();
        node.getLog(key, next, 1).onSuccess(page -> {
            if (stopped || current != subscription || current.nextSeq() != next) {
                return;
            }
            long first = page.entries().isEmpty() ? -1 : page.entries().get(0).seq();
            if (first <= next) {
                suspectedHole = -1;
                return;
            }
            if (suspectedHole != next) {
                suspectedHole = next; // entries may still be on their way: look again next time
                return;
            }
            long skipped = first - next;
            counters.commandEntriesSkipped.addAndGet(skipped);
            LOG.warning(() -> "command queue of " + controller.nodeId() + ": entries " + next + ".." + (first - 1)
                    + " are gone (expired); continuing at " + first);
            suspectedHole = -1;
            current.cancel();
            context.executeBlocking(
                            () -> {
                                ledger.advance(controller, first);
                                return null;
                            },
                            true)
                    .onComplete(ar -> {
                        if (!stopped) {
                            subscribe(first);
                        }
                    });
        });
    }
}
