package io.streembit.gateway.bench;

import io.streembit.dht.store.LogPage;
import io.streembit.dht.store.MemoryRecordStore;
import io.streembit.protocol.identity.NodeId;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's storing nodes' record store, counting the log pages they serve (FIND_VALUE with
 * a start seq: a follower fetching entries). Asked again for a (feed, start seq) it already
 * served, the same entries go out (and are checked by the gateway) once more. Diagnostics only:
 * the store itself is the DHT's in-memory one.
 */
final class ServedPages extends MemoryRecordStore {
    /** Counts over all harness nodes since the last {@link #reset}. */
    record Counts(long pages, long repeated, long entries) {}

    private static final AtomicLong PAGES = new AtomicLong();
    private static final AtomicLong REPEATED = new AtomicLong();
    private static final AtomicLong ENTRIES = new AtomicLong();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public LogPage log(NodeId key, long fromSeq, int limit) {
        LogPage page = super.log(key, fromSeq, limit);
        if (!page.entries().isEmpty()) {
            PAGES.incrementAndGet();
            ENTRIES.addAndGet(page.entries().size());
            if (!SEEN.add(key.hex() + "/" + fromSeq)) {
                REPEATED.incrementAndGet();
            }
        }
        return page;
    }

    static Counts snapshot() {
        return new Counts(PAGES.get(), REPEATED.get(), ENTRIES.get());
    }

    static void reset() {
        PAGES.set(0);
        REPEATED.set(0);
        ENTRIES.set(0);
        SEEN.clear();
    }
}
