package io.streembit.dht.store;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordStorePolicy;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Records in memory, with the retention limits applied to every log. */
public class MemoryRecordStore implements RecordStore {
    private final RetentionLimits limits;
    private final Map<NodeId, VerifiedRecord> slots = new HashMap<>();
    private final Map<NodeId, Log> logs = new HashMap<>();

    private static final class Log {
        final TreeMap<Long, VerifiedRecord> entries = new TreeMap<>();
        long bytes;
    }

    public MemoryRecordStore(RetentionLimits limits) {
        this.limits = limits;
    }

    public MemoryRecordStore() {
        this(RetentionLimits.defaults());
    }

    @Override
    public StoreDecision put(VerifiedRecord record) throws ProtocolException {
        NodeId key = record.key();
        boolean newKey = !slots.containsKey(key) && !logs.containsKey(key);
        if (newKey && slots.size() + logs.size() >= limits.maxKeys()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "this node stores no more keys");
        }
        if (!record.isLog()) {
            StoreDecision decision =
                    RecordStorePolicy.checkSlotReplace(latest(key).orElse(null), record);
            if (decision == StoreDecision.STORE) {
                slots.put(key, record);
            }
            return decision;
        }
        Log log = logs.get(key);
        VerifiedRecord head =
                log == null ? slots.get(key) : log.entries.lastEntry().getValue();
        VerifiedRecord sameSeq = log == null ? null : log.entries.get(record.seq());
        StoreDecision decision = RecordStorePolicy.checkLogAppend(head, sameSeq, record);
        if (decision == StoreDecision.STORE) {
            if (log == null) {
                log = new Log();
                logs.put(key, log);
            }
            log.entries.put(record.seq(), record);
            log.bytes += record.encodedSize();
            trim(log);
            if (!log.entries.containsKey(record.seq())) {
                // older than everything retained: accepted (it is valid) but not kept
                return StoreDecision.IDEMPOTENT;
            }
        }
        return decision;
    }

    private void trim(Log log) {
        while (log.entries.size() > limits.maxEntriesPerLog()
                || (log.bytes > limits.maxBytesPerLog() && log.entries.size() > 1)) {
            VerifiedRecord dropped = log.entries.pollFirstEntry().getValue();
            log.bytes -= dropped.encodedSize();
            onDropped(dropped);
        }
    }

    /** Hook for durable subclasses. */
    protected void onDropped(VerifiedRecord record) {}

    @Override
    public Optional<VerifiedRecord> slot(NodeId key) {
        return Optional.ofNullable(slots.get(key));
    }

    @Override
    public LogPage log(NodeId key, long fromSeq, int limit) {
        Log log = logs.get(key);
        if (log == null || log.entries.isEmpty()) {
            return LogPage.EMPTY;
        }
        List<VerifiedRecord> page = new ArrayList<>(Math.min(limit, 64));
        for (VerifiedRecord r : log.entries.tailMap(fromSeq, true).values()) {
            if (page.size() >= limit) {
                break;
            }
            page.add(r);
        }
        return new LogPage(page, log.entries.lastKey());
    }

    @Override
    public Optional<VerifiedRecord> latest(NodeId key) {
        VerifiedRecord slot = slots.get(key);
        if (slot != null) {
            return Optional.of(slot);
        }
        Log log = logs.get(key);
        return log == null || log.entries.isEmpty()
                ? Optional.empty()
                : Optional.of(log.entries.lastEntry().getValue());
    }

    @Override
    public List<VerifiedRecord> all(NodeId key) {
        VerifiedRecord slot = slots.get(key);
        if (slot != null) {
            return List.of(slot);
        }
        Log log = logs.get(key);
        return log == null ? List.of() : new ArrayList<>(log.entries.values());
    }

    @Override
    public Set<NodeId> keys() {
        Set<NodeId> keys = new HashSet<>(slots.keySet());
        keys.addAll(logs.keySet());
        return keys;
    }

    @Override
    public int expire(Instant now) {
        long nowSeconds = now.getEpochSecond();
        int dropped = 0;
        for (Iterator<VerifiedRecord> it = slots.values().iterator(); it.hasNext(); ) {
            VerifiedRecord r = it.next();
            if (r.payload().exp() <= nowSeconds) {
                it.remove();
                onDropped(r);
                dropped++;
            }
        }
        for (Iterator<Log> logIt = logs.values().iterator(); logIt.hasNext(); ) {
            Log log = logIt.next();
            for (Iterator<VerifiedRecord> it = log.entries.values().iterator(); it.hasNext(); ) {
                VerifiedRecord r = it.next();
                if (r.payload().exp() <= nowSeconds) {
                    it.remove();
                    log.bytes -= r.encodedSize();
                    onDropped(r);
                    dropped++;
                }
            }
            if (log.entries.isEmpty()) {
                logIt.remove();
            }
        }
        return dropped;
    }

    @Override
    public void close() {}
}
