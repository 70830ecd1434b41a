package io.streembit.gateway.store;

import io.streembit.gateway.ingest.VerifiedBatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Work that commits together with a group of batches, in the readings writer's transaction:
 * it sees only the batches whose cursor this transaction moves, so it runs exactly once per
 * feed entry, across retries and restarts.
 */
public interface CommitStep {
    CommitStep NONE = (c, batches) -> () -> {};

    /** Does the work on {@code c}; the returned action runs once the transaction committed. */
    Runnable apply(Connection c, List<VerifiedBatch> batches) throws SQLException;
}
