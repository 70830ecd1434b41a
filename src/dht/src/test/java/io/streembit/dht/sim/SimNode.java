package io.streembit.dht.sim;

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
    /** Access-ordered, so the first entry is the least recently used connection. */
    final LinkedHashMap<SimNode, Link> links = new LinkedHashMap<>(16, 0.75f, true);

    boolean alive = true;

    SimNode(Contact contact, RoutingTable table) {
        this.contact = contact;
        this.table = table;
    }

    NodeId id() {
        return contact.id();
    }

    @Override
    public String toString() {
        return contact.toString();
    }
}
