package io.streembit.gateway.ingest;

import io.vertx.core.Future;

/** Where verified batches go. */
public interface BatchSink {
    /**
     * Routes {@code batch}; the future succeeds once every route finished or dead-lettered it
     * and the cursor is committed at its seq, and fails when it must be tried again. Called on
     * the event loop or on a worker thread (where the routes may start at once).
     */
    Future<Void> deliver(VerifiedBatch batch);
}
