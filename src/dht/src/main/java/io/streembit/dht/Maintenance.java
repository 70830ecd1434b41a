package io.streembit.dht;

import io.streembit.dht.store.DiskRecordStore;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's periodic work, on one timer: expiry, disk sync, bucket refresh, republishing the
 * records this node published, and re-replication (handing stored records to nodes that joined
 * among a key's closest, and hourly to the key's current closest set, which covers nodes that left).
 */
final class Maintenance {
    static final long TICK_MILLIS = 1000;
    static final int MAX_OWN_LOG_ENTRIES = 1000;

    private final DhtNode node;
    private final Map<NodeId, TreeMap<Long, VerifiedRecord>> own = new HashMap<>();
    private final List<Contact> joined = new ArrayList<>();
    private long timer = -1;
    private long ticks;
    private long lastRepublishMillis;

    Maintenance(DhtNode node) {
        this.node = node;
    }

    void start() {
        lastRepublishMillis = node.clock().millis();
        timer = node.vertx().setPeriodic(TICK_MILLIS, t -> tick());
    }

    void stop() {
        node.vertx().cancelTimer(timer);
    }

    /** Keeps a record this node published, to republish it until it expires. */
    void remember(VerifiedRecord record) {
        TreeMap<Long, VerifiedRecord> entries = own.computeIfAbsent(record.key(), k -> new TreeMap<>());
        if (!record.isLog()) {
            entries.clear();
        }
        entries.put(record.seq(), record);
        while (entries.size() > MAX_OWN_LOG_ENTRIES) {
            entries.pollFirstEntry();
        }
    }

    void peerJoined(Contact peer) {
        joined.add(peer);
    }

    private void tick() {
        ticks++;
        long now = node.clock().millis();
        if (node.store() instanceof DiskRecordStore disk) {
            disk.sync();
        }
        if (ticks % 10 == 0) {
            node.store().expire(node.clock().instant());
            own.values().forEach(m -> m.values().removeIf(r -> r.payload().exp() * 1000 <= now));
            own.values().removeIf(TreeMap::isEmpty);
        }
        if (!joined.isEmpty()) {
            handOver(new ArrayList<>(joined));
            joined.clear();
        }
        refreshBuckets(now);
        if (now - lastRepublishMillis >= node.options().republishInterval().toMillis()) {
            lastRepublishMillis = now;
            republish();
        }
    }

    /** Gives new peers the stored records of keys they are now among the closest of. */
    private void handOver(List<Contact> peers) {
        for (NodeId key : node.store().keys()) {
            List<VerifiedRecord> records = node.store().all(key);
            if (records.isEmpty()) {
                continue;
            }
            int r = records.get(0).isLog()
                    ? node.options().logReplication()
                    : node.options().slotReplication();
            List<Contact> closest = node.table().closest(key, r);
            for (Contact peer : peers) {
                if (closest.contains(peer)) {
                    for (VerifiedRecord record : records) {
                        node.queries().storeAt(List.of(peer), record);
                    }
                }
            }
        }
    }

    private void refreshBuckets(long now) {
        List<Integer> stale =
                node.table().staleBuckets(now, node.options().bucketRefresh().toMillis());
        for (int i = 0; i < Math.min(2, stale.size()); i++) {
            int index = stale.get(i);
            node.table().markRefreshed(index, now);
            node.queries().findNode(node.table().randomIdInBucket(index, node.random()));
        }
    }

    private void republish() {
        for (TreeMap<Long, VerifiedRecord> entries : own.values()) {
            for (VerifiedRecord r : entries.values()) {
                node.replicate(r, null);
            }
        }
        for (NodeId key : node.store().keys()) {
            if (own.containsKey(key)) {
                continue;
            }
            List<VerifiedRecord> records = node.store().all(key);
            if (records.isEmpty()) {
                continue;
            }
            int r = records.get(0).isLog()
                    ? node.options().logReplication()
                    : node.options().slotReplication();
            List<Contact> closest = node.table().closest(key, r);
            for (VerifiedRecord record : records) {
                node.queries().storeAt(closest, record);
            }
        }
    }
}
