package io.streembit.dht.lookup;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers one lookup knows of, each with its query state and the depth (number of hops from
 * the starting contacts) at which it was learnt.
 */
final class QueryPeerSet {
    enum State {
        HEARD,
        WAITING,
        QUERIED,
        UNREACHABLE
    }

    static final class Entry {
        final Contact contact;
        final int depth;
        /** XOR distance to the target, computed once: candidates are sorted at every step. */
        final byte[] distance;

        State state = State.HEARD;

        Entry(Contact contact, int depth, byte[] distance) {
            this.contact = contact;
            this.depth = depth;
            this.distance = distance;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final Map<NodeId, Entry> entries = new HashMap<>();

    QueryPeerSet(NodeId target, NodeId self) {
        this.target = target;
        this.self = self;
    }

    boolean add(Contact contact, int depth) {
        if (contact.id().equals(self) || entries.containsKey(contact.id())) {
            return false;
        }
        entries.put(contact.id(), new Entry(contact, depth, contact.id().distance(target)));
        return true;
    }

    Entry get(NodeId id) {
        return entries.get(id);
    }

    /** Entries not known to be unreachable, closest first. */
    List<Entry> candidates() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.state != State.UNREACHABLE) {
                out.add(e);
            }
        }
        out.sort((a, b) -> Arrays.compareUnsigned(a.distance, b.distance));
        return out;
    }

    /** The closest not-yet-asked peer among the k closest candidates, or null. */
    Entry nextToQuery(int k) {
        List<Entry> closest = candidates();
        for (int i = 0; i < Math.min(k, closest.size()); i++) {
            if (closest.get(i).state == State.HEARD) {
                return closest.get(i);
            }
        }
        return null;
    }

    /** The k closest peers that answered, closest first. */
    List<Entry> closestQueried(int k) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : candidates()) {
            if (e.state == State.QUERIED) {
                out.add(e);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }
}
