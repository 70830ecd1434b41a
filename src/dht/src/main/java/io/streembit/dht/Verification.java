package io.streembit.dht;

import io.streembit.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Where a node checks the records it receives ({@link DhtOptions#verifyOnWorkers}): inline on its
 * event loop, or, for a page of several records, on Vert.x worker threads. A single record (a
 * NOTIFY) is always checked inline: the hop to a worker and back cost the gateway more than the
 * check itself (at 2,500 live batches/s its CPU fell from 0.57 to 0.51 cores without the hop).
 * Either way the result completes on the caller's context, so the node's state is still touched
 * from its event loop only.
 */
public final class Verification {
    /** Work that parses and validates, failing with the protocol's exception. */
    public interface Work<T> {
        T get() throws ProtocolException;
    }

    private final Vertx vertx;
    private final boolean onWorkers;

    Verification(Vertx vertx, boolean onWorkers) {
        this.vertx = vertx;
        this.onWorkers = onWorkers;
    }

    /** Runs {@code work}, which checks {@code records} records, where this node checks that many. */
    public <T> Future<T> run(int records, Work<T> work) {
        if (onWorkers && records > 1) {
            return vertx.executeBlocking(work::get, false);
        }
        try {
            return Future.succeededFuture(work.get());
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
