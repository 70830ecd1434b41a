package io.streembit.dht.store;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.RecordStorePolicy;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records in memory, with the retention limits applied to every log, and the store's byte
 * budgets: in all, and per publisher (keys and bytes). A STORE that would take a publisher past
 * its share is refused {@code too-large}. One that would take the store past its total makes
 * room by dropping the keys farthest from this node's id, as long as they are farther than the
 * new record's key (a node keeps what it is most responsible for); otherwise it is refused too.
 */
public class MemoryRecordStore implements RecordStore {
    private final RetentionLimits limits;
    /** This node's id (keys are evicted farthest from it first), or null: refuse when full. */
    private final NodeId self;

    private final Map<NodeId, VerifiedRecord> slots = new HashMap<>();
    private final Map<NodeId, Log> logs = new HashMap<>();
    private final Map<PublicKey, Usage> signers = new HashMap<>();
    private final TreeSet<NodeId> byDistance;
    private long totalBytes;

    private static final class Log {
        final TreeMap<Long, VerifiedRecord> entries = new TreeMap<>();
        long bytes;
    }

    /** One publisher's share: its keys and their token bytes. */
    private static final class Usage {
        int keys;
        long bytes;
    }

    public MemoryRecordStore(RetentionLimits limits, NodeId self) {
        this.limits = limits;
        this.self = self;
        this.byDistance = self == null
                ? null
                : new TreeSet<>((a, b) -> Arrays.compareUnsigned(a.distance(self), b.distance(self)));
    }

    public MemoryRecordStore(RetentionLimits limits) {
        this(limits, null);
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
            VerifiedRecord old = slots.get(key);
            StoreDecision decision =
                    RecordStorePolicy.checkSlotReplace(latest(key).orElse(null), record);
            if (decision == StoreDecision.STORE) {
                admit(record, newKey, record.encodedSize() - (old == null ? 0 : old.encodedSize()));
                if (old != null) {
                    removed(old);
                } else {
                    keyAdded(record);
                }
                slots.put(key, record);
                added(record);
            }
            return decision;
        }
        Log log = logs.get(key);
        VerifiedRecord head =
                log == null ? slots.get(key) : log.entries.lastEntry().getValue();
        VerifiedRecord sameSeq = log == null ? null : log.entries.get(record.seq());
        StoreDecision decision = RecordStorePolicy.checkLogAppend(head, sameSeq, record);
        if (decision == StoreDecision.STORE) {
            admit(record, newKey, record.encodedSize() - trimmedBy(log, record));
            if (log == null) {
                log = new Log();
                logs.put(key, log);
                keyAdded(record);
            }
            log.entries.put(record.seq(), record);
            log.bytes += record.encodedSize();
            added(record);
            trim(log);
            if (!log.entries.containsKey(record.seq())) {
                // older than everything retained: accepted (it is valid) but not kept
                return StoreDecision.IDEMPOTENT;
            }
        }
        return decision;
    }

    /** Token bytes the retention limits would drop from {@code log} if {@code record} joined it. */
    private long trimmedBy(Log log, VerifiedRecord record) {
        if (log == null) {
            return 0;
        }
        int entries = log.entries.size() + 1;
        long bytes = log.bytes + record.encodedSize();
        long dropped = 0;
        for (VerifiedRecord r : log.entries.values()) {
            if (!(entries > limits.maxEntriesPerLog() || (bytes > limits.maxBytesPerLog() && entries > 1))) {
                break;
            }
            if (r.seq() > record.seq()) {
                break; // the new entry itself would go first: it changes nothing
            }
            entries--;
            bytes -= r.encodedSize();
            dropped += r.encodedSize();
        }
        return dropped;
    }

    /** Refuses a record past its publisher's share or the store's budget (evicting far keys first). */
    private void admit(VerifiedRecord record, boolean newKey, long growth) throws ProtocolException {
        Usage usage = signers.get(record.publisher());
        if (newKey && usage != null && usage.keys >= limits.maxKeysPerSigner()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "this publisher's keys are at this node's limit");
        }
        if (growth <= 0) {
            return;
        }
        if ((usage == null ? 0 : usage.bytes) + growth > limits.maxBytesPerSigner()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "this publisher's records are at this node's limit");
        }
        if (totalBytes + growth <= limits.maxBytes()) {
            return;
        }
        if (byDistance != null) {
            byte[] distance = record.key().distance(self);
            // only keys farther than this one make room, and only as many as it takes
            long freeable = 0;
            List<NodeId> victims = new ArrayList<>();
            for (NodeId far : byDistance.descendingSet()) {
                if (totalBytes - freeable + growth <= limits.maxBytes()
                        || Arrays.compareUnsigned(far.distance(self), distance) <= 0) {
                    break;
                }
                victims.add(far);
                freeable += bytesOf(far);
            }
            if (totalBytes - freeable + growth <= limits.maxBytes()) {
                victims.forEach(this::dropKey);
                return;
            }
        }
        throw new ProtocolException(ErrorCode.TOO_LARGE, "this node's record store is full");
    }

    private long bytesOf(NodeId key) {
        VerifiedRecord slot = slots.get(key);
        if (slot != null) {
            return slot.encodedSize();
        }
        Log log = logs.get(key);
        return log == null ? 0 : log.bytes;
    }

    private void dropKey(NodeId key) {
        VerifiedRecord slot = slots.remove(key);
        if (slot != null) {
            removed(slot);
            onDropped(slot);
            keyRemoved(slot);
            return;
        }
        Log log = logs.remove(key);
        if (log != null && !log.entries.isEmpty()) {
            VerifiedRecord any = log.entries.firstEntry().getValue();
            for (VerifiedRecord r : log.entries.values()) {
                removed(r);
                onDropped(r);
            }
            keyRemoved(any);
        }
    }

    private void keyAdded(VerifiedRecord record) {
        signers.computeIfAbsent(record.publisher(), p -> new Usage()).keys++;
        if (byDistance != null) {
            byDistance.add(record.key());
        }
    }

    private void keyRemoved(VerifiedRecord record) {
        Usage usage = signers.get(record.publisher());
        if (usage != null && --usage.keys <= 0) {
            signers.remove(record.publisher());
        }
        if (byDistance != null) {
            byDistance.remove(record.key());
        }
    }

    private void added(VerifiedRecord record) {
        totalBytes += record.encodedSize();
        signers.computeIfAbsent(record.publisher(), p -> new Usage()).bytes += record.encodedSize();
    }

    private void removed(VerifiedRecord record) {
        totalBytes -= record.encodedSize();
        Usage usage = signers.get(record.publisher());
        if (usage != null) {
            usage.bytes -= record.encodedSize();
        }
    }

    /** Token bytes held in all. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Token bytes held of {@code publisher}'s records. */
    public long bytesOf(PublicKey publisher) {
        Usage usage = signers.get(publisher);
        return usage == null ? 0 : usage.bytes;
    }

    private void trim(Log log) {
        while (log.entries.size() > limits.maxEntriesPerLog()
                || (log.bytes > limits.maxBytesPerLog() && log.entries.size() > 1)) {
            VerifiedRecord dropped = log.entries.pollFirstEntry().getValue();
            log.bytes -= dropped.encodedSize();
            removed(dropped);
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
                removed(r);
                keyRemoved(r);
                onDropped(r);
                dropped++;
            }
        }
        for (Iterator<Log> logIt = logs.values().iterator(); logIt.hasNext(); ) {
            Log log = logIt.next();
            VerifiedRecord last = null;
            for (Iterator<VerifiedRecord> it = log.entries.values().iterator(); it.hasNext(); ) {
                VerifiedRecord r = it.next();
                if (r.payload().exp() <= nowSeconds) {
                    it.remove();
                    log.bytes -= r.encodedSize();
                    removed(r);
                    onDropped(r);
                    last = r;
                    dropped++;
                }
            }
            if (log.entries.isEmpty()) {
                logIt.remove();
                if (last != null) {
                    keyRemoved(last);
                }
            }
        }
        return dropped;
    }

    @Override
    public void close() {}
}
