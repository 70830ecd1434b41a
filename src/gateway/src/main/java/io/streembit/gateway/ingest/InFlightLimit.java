package io.streembit.gateway.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds the batches in flight across every follower. A follower that cannot get a permit does
 * not take its next entry, so when the sinks slow down, data waits in the DHT and in the
 * devices' buffers, not in the gateway's memory. Waiters are served in arrival order.
 */
public final class InFlightLimit {
    private final int max;
    private final Deque<Promise<Void>> waiting = new ArrayDeque<>();
    private int used;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max in flight must be at least 1");
        }
        this.max = max;
    }

    public Future<Void> acquire() {
        Promise<Void> promise;
        synchronized (this) {
            if (used < max) {
                used++;
                return Future.succeededFuture();
            }
            promise = Promise.promise();
            waiting.addLast(promise);
        }
        return promise.future();
    }

    public void release() {
        Promise<Void> next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                used--;
                return;
            }
        }
        next.complete(); // the permit passes straight to the next waiter
    }

    public synchronized int inUse() {
        return used;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public int max() {
        return max;
    }

    /**
     * Registers the gauges of batches in flight and followers waiting for a permit. Not a
     * Micrometer {@code MeterBinder} on purpose: Quarkus binds every such bean by itself, and the
     * gauges would be registered twice.
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("streembit.ingest.in.flight", this, InFlightLimit::inUse)
                .description("batches being verified, routed or written")
                .register(registry);
        Gauge.builder("streembit.ingest.waiting", this, InFlightLimit::waiting)
                .description("followers waiting for room to take their next batch")
                .register(registry);
    }
}
