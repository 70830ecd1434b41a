package io.streembit.dht.store;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a storing node holds: slot values and log entries, only ever {@link VerifiedRecord}s.
 * {@link #put} applies the seq rules atomically (check and store in one step), so concurrent
 * STOREs of one key cannot both win. Implementations are used from one event loop.
 */
public interface RecordStore extends AutoCloseable {
    /**
     * Stores a verified record after the seq rules; fails with {@code seq-too-low} or
     * {@code fork}, and {@code too-large} when the node is full.
     */
    StoreDecision put(VerifiedRecord record) throws ProtocolException;

    /** The slot value under {@code key}. */
    Optional<VerifiedRecord> slot(NodeId key);

    /** Entries of the log under {@code key} with seq >= {@code fromSeq}, at most {@code limit}. */
    LogPage log(NodeId key, long fromSeq, int limit);

    /** The slot value, or the log head, under {@code key}. */
    Optional<VerifiedRecord> latest(NodeId key);

    /** Every record under {@code key} (for replication to new closest nodes). */
    List<VerifiedRecord> all(NodeId key);

    Set<NodeId> keys();

    /** Drops everything whose {@code exp} has passed; returns how many records went. */
    int expire(Instant now);

    @Override
    void close();
}
