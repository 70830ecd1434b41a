package io.streembit.dht.sim;

import io.streembit.dht.lookup.RttEstimator;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.LinkedHashMap;

/** One simulated node: a real routing table, its open connections, and whether it is up. */
final class SimNode {
    /** An open connection, shared by both ends; usable once the handshake is done. */
    static final class Link {
        final long readyAtMicros;
        long lastUsedMicros;

        Link(long readyAtMicros) {
            this.readyAtMicros = readyAtMicros;
            this.lastUsedMicros = readyAtMicros;
        }
    }

    final Contact contact;
    final RoutingTable table;
    /** Round trips this node measured, for its lookups' patience (as in DhtNode). */
    final RttEstimator rtt;
    /** Access-ordered, so the first entry is the least recently used connection. */
    final LinkedHashMap<SimNode, Link> links = new LinkedHashMap<>(16, 0.75f, true);

    boolean alive = true;
    /** Answers lookups with fellow adversaries only and withholds every record (item 4's attacker). */
    boolean adversary;
    /** Keys of the records this node holds (the value-lookup trials). */
    final java.util.Set<NodeId> values = new java.util.HashSet<>();

    SimNode(Contact contact, RoutingTable table, RttEstimator rtt) {
        this.contact = contact;
        this.table = table;
        this.rtt = rtt;
    }

    NodeId id() {
        return contact.id();
    }

    @Override
    public String toString() {
        return contact.toString();
    }
}
