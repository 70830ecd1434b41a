package io.streembit.dht.transport;

import io.streembit.dht.DhtOptions;
import io.streembit.protocol.identity.NodeId;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-peer abuse limits: a token bucket of requests per node id, a cap on request bytes
 * awaiting an answer, and bans. Bans apply to the node id and, unless it is loopback, to the
 * IP address. Used only from the node's event loop, so it needs no locking.
 */
final class PeerGuard {
    private final DhtOptions.PeerLimits limits;
    private final Map<NodeId, double[]> buckets = new HashMap<>();
    private final Map<NodeId, Long> bannedIds = new HashMap<>();
    private final Map<String, Long> bannedIps = new HashMap<>();

    PeerGuard(DhtOptions.PeerLimits limits) {
        this.limits = limits;
    }

    /** Null when the request is admitted, otherwise the name of the limit it broke. */
    String admit(NodeId peer, long nowNanos, int frameBytes, long bytesInFlight) {
        if (bytesInFlight + frameBytes > limits.bytesInFlight()) {
            return "bytes-in-flight";
        }
        double[] bucket = buckets.computeIfAbsent(peer, p -> new double[] {limits.requestBurst(), nowNanos});
        double elapsed = (nowNanos - bucket[1]) / 1e9;
        bucket[0] = Math.min(limits.requestBurst(), bucket[0] + elapsed * limits.requestsPerSecond());
        bucket[1] = nowNanos;
        if (bucket[0] < 1) {
            return "rate-limited";
        }
        bucket[0] -= 1;
        return null;
    }

    void ban(NodeId peer, String ip, long nowMillis) {
        long until = nowMillis + limits.banDuration().toMillis();
        if (peer != null) {
            bannedIds.put(peer, until);
            buckets.remove(peer);
        }
        if (ip != null && !isLoopback(ip)) {
            bannedIps.put(ip, until);
        }
    }

    boolean isBanned(NodeId peer, String ip, long nowMillis) {
        return active(bannedIds, peer, nowMillis) || (ip != null && active(bannedIps, ip, nowMillis));
    }

    private static <K> boolean active(Map<K, Long> bans, K key, long nowMillis) {
        if (key == null) {
            return false;
        }
        Long until = bans.get(key);
        if (until == null) {
            return false;
        }
        if (until <= nowMillis) {
            bans.remove(key);
            return false;
        }
        return true;
    }

    static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || ip.equals("0:0:0:0:0:0:0:1") || ip.equals("::1");
    }
}
