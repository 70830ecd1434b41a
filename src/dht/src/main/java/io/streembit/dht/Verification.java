package io.streembit.dht;

import io.streembit.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Where a node checks the records it receives ({@link DhtOptions#verifyOnWorkers}): inline on its
 * event loop, or on Vert.x worker threads. Either way the result completes on the caller's
 * context, so the node's state is still touched from its event loop only.
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

    public <T> Future<T> run(Work<T> work) {
        if (onWorkers) {
            return vertx.executeBlocking(work::get, false);
        }
        try {
            return Future.succeededFuture(work.get());
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
