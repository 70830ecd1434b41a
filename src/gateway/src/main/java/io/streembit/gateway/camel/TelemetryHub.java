package io.streembit.gateway.camel;

import io.streembit.gateway.ingest.BatchSink;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.DeviceCursors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where followers hand batches to Camel: the one {@code streembit:telemetry} consumer that is
 * started. A batch succeeds when its exchange completed without an exception and the cursor
 * is committed, as decided once at start ({@link CursorCommit}): by the readings sink in its own
 * transaction, or here when the routes have no readings sink at all. Routes run on worker threads, never on the DHT's event loop (a route may hold
 * blocking producers such as HTTP).
 */
public final class TelemetryHub implements BatchSink {
    /** No telemetry route is running (still starting, or stopped): the batch is tried again. */
    public static final class NoTelemetryRoute extends IllegalStateException {
        NoTelemetryRoute(String why) {
            super(why);
        }
    }

    /**
     * The routes have a readings sink but this exchange completed without reaching it (a route
     * ended it early, say a sink's error handler marking it handled): committing the cursor now
     * would skip the readings, so the batch is tried again.
     */
    public static final class ReadingsSkipped extends IllegalStateException {
        ReadingsSkipped(VerifiedBatch batch) {
            super("the telemetry exchange of " + batch + " completed without reaching streembit:readings;"
                    + " check the routes (a sink's error handler must continue, not end the exchange)");
        }
    }

    private final Vertx vertx;
    private final DeviceCursors cursors;
    private volatile TelemetryConsumer consumer;
    private volatile CursorCommit cursorCommit;
    private final CompletableFuture<Void> deliverable = new CompletableFuture<>();

    public TelemetryHub(Vertx vertx, DeviceCursors cursors) {
        this.vertx = vertx;
        this.cursors = cursors;
    }

    void attach(TelemetryConsumer consumer) {
        synchronized (this) {
            if (this.consumer != null && this.consumer != consumer) {
                throw new IllegalStateException("only one route may consume streembit:telemetry; fan out inside it");
            }
            this.consumer = consumer;
        }
        completeIfDeliverable();
    }

    synchronized void detach(TelemetryConsumer consumer) {
        if (this.consumer == consumer) {
            this.consumer = null;
        }
    }

    /** Set once, when the routes have started. */
    void cursorCommit(CursorCommit choice) {
        synchronized (this) {
            if (cursorCommit != null && cursorCommit != choice) {
                throw new IllegalStateException("cursor commits are already " + cursorCommit);
            }
            cursorCommit = choice;
        }
        completeIfDeliverable();
    }

    /**
     * Completes the first time batches can go through. Followers start then: a batch delivered
     * before would fail and wait out the ingest back-off (up to {@code retry-max}, 30 s) although
     * the routes came up a moment later. Outside the hub's lock: whatever waits runs here.
     */
    public CompletionStage<Void> whenDeliverable() {
        return deliverable;
    }

    private void completeIfDeliverable() {
        if (attached()) {
            deliverable.complete(null);
        }
    }

    /** A telemetry route is running and it is decided who commits cursors: batches can go through. */
    public boolean attached() {
        return consumer != null && cursorCommit != null;
    }

    @Override
    public Future<Void> deliver(VerifiedBatch batch) {
        TelemetryConsumer target = consumer;
        CursorCommit commit = cursorCommit;
        if (target == null) {
            return Future.failedFuture(new NoTelemetryRoute("no streembit:telemetry route is running"));
        }
        if (commit == null) {
            return Future.failedFuture(new NoTelemetryRoute("the routes are still starting"));
        }
        Promise<Void> routed = Promise.promise();
        if (Context.isOnWorkerThread()) {
            // already off the event loop (a follower delivers from the worker that opened the batch)
            dispatch(target, commit, batch, routed);
            return routed.future();
        }
        vertx.executeBlocking(
                        () -> {
                            dispatch(target, commit, batch, routed);
                            return null;
                        },
                        false)
                .onFailure(routed::tryFail);
        return routed.future();
    }

    private void dispatch(TelemetryConsumer target, CursorCommit commit, VerifiedBatch batch, Promise<Void> routed) {
        try {
            target.dispatch(batch, (failure, committed) -> {
                if (failure != null) {
                    routed.fail(failure);
                } else if (committed) {
                    routed.complete();
                } else if (commit == CursorCommit.READINGS_SINK) {
                    routed.fail(new ReadingsSkipped(batch));
                } else {
                    vertx.executeBlocking(
                                    () -> {
                                        cursors.move(new DeviceCursors.Move(
                                                batch.deviceId(), batch.seq(), batch.tokenHash(), batch.receivedAt()));
                                        return null;
                                    },
                                    false)
                            .<Void>mapEmpty()
                            .onComplete(routed);
                }
            });
        } catch (RuntimeException e) {
            routed.tryFail(e);
        }
    }
}
