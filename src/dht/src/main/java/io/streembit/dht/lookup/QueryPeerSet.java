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
    /** SLOW: asked, past its patience, still not answered (it may yet answer, or fail). */
    /** TAKEN: claimed by another path of a disjoint lookup, never asked by this one. */
    enum State {
        HEARD,
        WAITING,
        SLOW,
        QUERIED,
        UNREACHABLE,
        TAKEN
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
    /** The distance of the closest peer ever added, or null. */
    private byte[] closestHeard;

    QueryPeerSet(NodeId target, NodeId self) {
        this.target = target;
        this.self = self;
    }

    boolean add(Contact contact, int depth) {
        if (contact.id().equals(self) || entries.containsKey(contact.id())) {
            return false;
        }
        Entry entry = new Entry(contact, depth, contact.id().distance(target));
        entries.put(contact.id(), entry);
        if (closestHeard == null || Arrays.compareUnsigned(entry.distance, closestHeard) < 0) {
            closestHeard = entry.distance;
        }
        return true;
    }

    /** The distance of the closest peer ever added (null when none); it only ever decreases. */
    byte[] closestHeard() {
        return closestHeard;
    }

    Entry get(NodeId id) {
        return entries.get(id);
    }

    /** Entries not known to be unreachable nor slow, closest first. */
    List<Entry> candidates() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.state != State.UNREACHABLE && e.state != State.SLOW && e.state != State.TAKEN) {
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
