package io.streembit.gateway.camel;

import io.streembit.gateway.ingest.BatchSink;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.ProblemStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Where followers hand batches to Camel: the one {@code streembit:telemetry} consumer that is
 * started. A batch succeeds when its exchange completed without an exception and the cursor
 * is committed: by the readings sink in its own transaction, or here when the routes have no
 * readings sink at all. Routes run on worker threads, never on the DHT's event loop (a route may hold
 * blocking producers such as HTTP).
 */
public final class TelemetryHub implements BatchSink {
    /** No telemetry route is running (still starting, or stopped): the batch is tried again. */
    public static final class NoTelemetryRoute extends IllegalStateException {
        NoTelemetryRoute() {
            super("no streembit:telemetry route is running");
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
    private final ProblemStore cursors;
    private volatile TelemetryConsumer consumer;
    private volatile boolean readingsSink;

    public TelemetryHub(Vertx vertx, ProblemStore cursors) {
        this.vertx = vertx;
        this.cursors = cursors;
    }

    synchronized void attach(TelemetryConsumer consumer) {
        if (this.consumer != null && this.consumer != consumer) {
            throw new IllegalStateException("only one route may consume streembit:telemetry; fan out inside it");
        }
        this.consumer = consumer;
    }

    synchronized void detach(TelemetryConsumer consumer) {
        if (this.consumer == consumer) {
            this.consumer = null;
        }
    }

    /** A route uses {@code streembit:readings}: from now on only it commits cursors. */
    void readingsSinkConfigured() {
        readingsSink = true;
    }

    public boolean attached() {
        return consumer != null;
    }

    @Override
    public Future<Void> deliver(VerifiedBatch batch) {
        TelemetryConsumer target = consumer;
        if (target == null) {
            return Future.failedFuture(new NoTelemetryRoute());
        }
        Promise<Void> routed = Promise.promise();
        if (Context.isOnWorkerThread()) {
            // already off the event loop (a follower delivers from the worker that opened the batch)
            dispatch(target, batch, routed);
            return routed.future();
        }
        vertx.executeBlocking(() -> {
            dispatch(target, batch, routed);
            return null;
        }, false).onFailure(routed::tryFail);
        return routed.future();
    }

    private void dispatch(TelemetryConsumer target, VerifiedBatch batch, Promise<Void> routed) {
        try {
            target.dispatch(batch, (failure, committed) -> {
                if (failure != null) {
                    routed.fail(failure);
                } else if (committed) {
                    routed.complete();
                } else if (readingsSink) {
                    routed.fail(new ReadingsSkipped(batch));
                } else {
                    vertx.executeBlocking(() -> {
                        cursors.advanceCursor(batch.deviceId(), batch.seq(), batch.tokenHash(), batch.receivedAt());
                        return null;
                    }, false).<Void>mapEmpty().onComplete(routed);
                }
            });
        } catch (RuntimeException e) {
            routed.tryFail(e);
        }
    }
}
