package io.streembit.dht.routing;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * One k-bucket: up to k live contacts ordered least-recently-seen first, plus a replacement
 * cache of the most recently seen contacts that did not fit. A full bucket never drops a
 * member unless a liveness check failed (Kademlia's preference for long-lived nodes).
 */
final class KBucket {
    private final int capacity;
    private final LinkedHashMap<NodeId, Contact> members = new LinkedHashMap<>();
    private final LinkedHashMap<NodeId, Contact> replacements = new LinkedHashMap<>();
    private long lastTouchedMillis;

    KBucket(int capacity) {
        this.capacity = capacity;
    }

    enum Outcome {
        ADDED,
        UPDATED,
        FULL
    }

    /** Marks {@code contact} as just seen: moves it to the tail, or adds it when there is room. */
    Outcome touch(Contact contact, long nowMillis) {
        lastTouchedMillis = nowMillis;
        if (members.remove(contact.id()) != null) {
            members.put(contact.id(), contact);
            return Outcome.UPDATED;
        }
        if (members.size() < capacity) {
            members.put(contact.id(), contact);
            replacements.remove(contact.id());
            return Outcome.ADDED;
        }
        replacements.remove(contact.id());
        replacements.put(contact.id(), contact);
        if (replacements.size() > capacity) {
            Iterator<NodeId> oldest = replacements.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return Outcome.FULL;
    }

    /** The least-recently-seen member: the one to ping when the bucket is full. */
    Contact leastRecentlySeen() {
        return members.isEmpty() ? null : members.values().iterator().next();
    }

    /** Drops a member that failed; the freshest replacement takes its place. */
    boolean remove(NodeId id) {
        if (members.remove(id) == null) {
            replacements.remove(id);
            return false;
        }
        if (!replacements.isEmpty()) {
            NodeId freshest = null;
            for (NodeId key : replacements.keySet()) {
                freshest = key;
            }
            members.put(freshest, replacements.remove(freshest));
        }
        return true;
    }

    boolean contains(NodeId id) {
        return members.containsKey(id);
    }

    int size() {
        return members.size();
    }

    void forEach(Consumer<Contact> action) {
        members.values().forEach(action);
    }

    List<Contact> contacts() {
        return new ArrayList<>(members.values());
    }

    long lastTouchedMillis() {
        return lastTouchedMillis;
    }

    void setLastTouched(long nowMillis) {
        lastTouchedMillis = nowMillis;
    }

    /** How many members share the /24 (IPv4) or /64 (IPv6) of {@code host}. */
    int sameSubnet(String host) {
        String prefix = subnet(host);
        int n = 0;
        for (Contact c : members.values()) {
            if (subnet(c.host()).equals(prefix)) {
                n++;
            }
        }
        return n;
    }

    static String subnet(String host) {
        if (host.contains(":")) {
            String[] groups = host.split(":");
            return String.join(":", java.util.Arrays.copyOf(groups, Math.min(4, groups.length)));
        }
        int dot = host.lastIndexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }
}
