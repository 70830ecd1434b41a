package io.streembit.dht.rpc;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Who subscribed to which key on this storing node, until when. Subscriptions are soft state:
 * a subscriber renews before its ttl runs out, and polls, so losing this registry (a restart)
 * costs latency, not data.
 */
public final class SubscriberRegistry {
    /** Longest subscription granted; subscribers renew. */
    public static final long MAX_TTL_SECONDS = 600;
    /** Keys one peer may watch on this node at once. */
    static final int MAX_KEYS_PER_PEER = 10_000;

    private record Entry(Contact contact, long expiresMillis) {}

    private final Map<NodeId, Map<NodeId, Entry>> byKey = new HashMap<>();
    private final Map<NodeId, Integer> keysPerPeer = new HashMap<>();

    /** Registers or renews; returns the granted ttl in seconds, or -1 when the peer is over its quota. */
    public long subscribe(NodeId key, Contact subscriber, long ttlSeconds, long nowMillis) {
        long granted = Math.max(1, Math.min(ttlSeconds, MAX_TTL_SECONDS));
        Map<NodeId, Entry> subs = byKey.computeIfAbsent(key, k -> new HashMap<>());
        if (!subs.containsKey(subscriber.id())) {
            int count = keysPerPeer.getOrDefault(subscriber.id(), 0);
            if (count >= MAX_KEYS_PER_PEER) {
                return -1;
            }
            keysPerPeer.put(subscriber.id(), count + 1);
        }
        subs.put(subscriber.id(), new Entry(subscriber, nowMillis + granted * 1000));
        return granted;
    }

    /** Live subscribers of {@code key}; expired ones are dropped on the way. */
    public List<Contact> subscribers(NodeId key, long nowMillis) {
        Map<NodeId, Entry> subs = byKey.get(key);
        if (subs == null) {
            return List.of();
        }
        List<Contact> live = new ArrayList<>(subs.size());
        for (Iterator<Entry> it = subs.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.expiresMillis() <= nowMillis) {
                it.remove();
                keysPerPeer.computeIfPresent(e.contact().id(), (k, v) -> v <= 1 ? null : v - 1);
            } else {
                live.add(e.contact());
            }
        }
        if (subs.isEmpty()) {
            byKey.remove(key);
        }
        return live;
    }

    /** Drops every expired subscription. */
    public void expire(long nowMillis) {
        for (NodeId key : new ArrayList<>(byKey.keySet())) {
            subscribers(key, nowMillis);
        }
    }
}
