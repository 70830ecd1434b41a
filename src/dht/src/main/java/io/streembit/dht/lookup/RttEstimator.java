package io.streembit.dht.lookup;

import io.streembit.protocol.identity.NodeId;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Round-trip times measured per peer, smoothed as TCP does (RFC 6298: SRTT and RTTVAR with
 * gains 1/8 and 1/4, RTO = SRTT + 4 RTTVAR), and the <em>patience</em> a lookup grants one
 * query derived from them: how long it waits for that peer before it asks another in its
 * place. Two node-wide estimates cover peers never measured: one for peers with an open
 * connection (their answer costs one round trip), one for the first query to a peer (it pays
 * the TCP connect and the signed hello first, about three round trips). Patience is clamped to
 * [{@code floor}, {@code ceiling}]; until anything is measured it is {@code initial}.
 * The per-peer table is bounded (least recently used out). Single-threaded (a node's event loop).
 */
public final class RttEstimator {
    /** Peers whose round trips are remembered; the least recently used is forgotten first. */
    public static final int MAX_PEERS = 4096;

    /** SRTT and RTTVAR in milliseconds. */
    static final class Smoothed {
        private double srtt = -1;
        private double rttvar;

        void add(double millis) {
            if (srtt < 0) {
                srtt = millis;
                rttvar = millis / 2;
            } else {
                rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - millis);
                srtt = 0.875 * srtt + 0.125 * millis;
            }
        }

        boolean known() {
            return srtt >= 0;
        }

        double rto() {
            return srtt + 4 * rttvar;
        }
    }

    private final long floorMillis;
    private final long initialMillis;
    private final long ceilingMillis;
    private final Smoothed warm = new Smoothed();
    private final Smoothed cold = new Smoothed();
    private final Map<NodeId, Smoothed> peers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Smoothed> eldest) {
            return size() > MAX_PEERS;
        }
    };

    public RttEstimator(Duration floor, Duration initial, Duration ceiling) {
        this.floorMillis = floor.toMillis();
        this.ceilingMillis = Math.max(floorMillis, ceiling.toMillis());
        this.initialMillis = clamp(initial.toMillis());
    }

    /**
     * Records one answered query of {@code nanos}; {@code connected} tells whether a connection
     * to the peer was open when the query started (otherwise the time includes opening one).
     */
    public void sample(NodeId peer, boolean connected, long nanos) {
        double millis = nanos / 1e6;
        if (connected) {
            warm.add(millis);
            peers.computeIfAbsent(peer, p -> new Smoothed()).add(millis);
        } else {
            cold.add(millis);
        }
    }

    /**
     * How long to wait for {@code peer} before moving on, in milliseconds. On an open connection:
     * the peer's RTO, or the node-wide one for a peer not measured yet. A first contact costs
     * three round trips (TCP connect, the hello exchange, the request): at least three times the
     * node-wide RTO, or the RTO of first contacts when that is longer (dials spread widely, so
     * their own smoothed estimate alone swings low after a run of short ones).
     */
    public long patienceMillis(NodeId peer, boolean connected) {
        if (connected) {
            Smoothed s = peers.get(peer);
            if (s == null) {
                s = warm;
            }
            return s.known() ? clamp(Math.round(s.rto())) : initialMillis;
        }
        if (!warm.known() && !cold.known()) {
            return initialMillis;
        }
        double rto = Math.max(warm.known() ? 3 * warm.rto() : 0, cold.known() ? cold.rto() : 0);
        return clamp(Math.round(rto));
    }

    /**
     * How long a first contact may take to open its connection (the TCP connect and the hello
     * exchange: two round trips) before the lookup moves on: a host that is gone never gets that
     * far. Two node-wide RTOs, at most the whole patience of a first contact.
     */
    public long dialPatienceMillis() {
        long whole = patienceMillis(null, false);
        return warm.known() ? Math.min(whole, clamp(Math.round(2 * warm.rto()))) : whole;
    }

    /** Peers with a measured round trip (for tests). */
    int knownPeers() {
        return peers.size();
    }

    private long clamp(long millis) {
        return Math.max(floorMillis, Math.min(ceilingMillis, millis));
    }
}
