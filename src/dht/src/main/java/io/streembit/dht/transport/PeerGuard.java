package io.streembit.dht.transport;

import io.streembit.dht.DhtOptions;
import io.streembit.dht.routing.Addresses;
import io.streembit.protocol.identity.NodeId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Abuse limits per node id and per address: token buckets of frames per node id, per IP and per
 * network prefix (/24 of IPv4, /64 of IPv6), a cap on request bytes awaiting an answer, and bans.
 * Bans apply to the node id and, unless it is exempt loopback, to the IP address. Every map is
 * bounded ({@code trackedPeers} entries, least recently used out): a bucket forgotten is a full
 * one, which a new identity would get anyway. Used only from the node's event loop, so it needs no
 * locking.
 */
final class PeerGuard {
    private final DhtOptions.PeerLimits limits;
    private final Map<NodeId, double[]> buckets;
    private final Map<String, double[]> ipBuckets;
    private final Map<String, double[]> prefixBuckets;
    private final Map<NodeId, Long> bannedIds;
    private final Map<String, Long> bannedIps;

    PeerGuard(DhtOptions.PeerLimits limits) {
        this.limits = limits;
        this.buckets = bounded(limits.trackedPeers());
        this.ipBuckets = bounded(limits.trackedPeers());
        this.prefixBuckets = bounded(limits.trackedPeers());
        this.bannedIds = bounded(limits.trackedPeers());
        this.bannedIps = bounded(limits.trackedPeers());
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * Charges one frame from {@code peer} at {@code ip} before it is parsed: to the node id's
     * bucket, and (unless the address is exempt) to the IP's and the prefix's. Null when
     * admitted, otherwise the limit it broke. An awaited answer is given back with {@link #refund}.
     */
    String admitFrame(NodeId peer, String ip, long nowNanos) {
        if (!take(buckets, peer, limits.requestBurst(), limits.requestsPerSecond(), nowNanos)) {
            return "rate-limited";
        }
        if (exempt(ip)) {
            return null;
        }
        if (!take(ipBuckets, ip, 2.0 * limits.requestsPerSecondPerIp(), limits.requestsPerSecondPerIp(), nowNanos)) {
            return "rate-limited-ip";
        }
        String prefix = prefix(ip);
        if (!take(
                prefixBuckets,
                prefix,
                2.0 * limits.requestsPerSecondPerPrefix(),
                limits.requestsPerSecondPerPrefix(),
                nowNanos)) {
            return "rate-limited-prefix";
        }
        return null;
    }

    /** Gives back the token {@link #admitFrame} took for a frame that was an awaited answer. */
    void refund(NodeId peer, String ip) {
        give(buckets, peer, limits.requestBurst());
        if (!exempt(ip)) {
            give(ipBuckets, ip, 2.0 * limits.requestsPerSecondPerIp());
            give(prefixBuckets, prefix(ip), 2.0 * limits.requestsPerSecondPerPrefix());
        }
    }

    private static <K> boolean take(Map<K, double[]> map, K key, double burst, double perSecond, long nowNanos) {
        double[] bucket = map.computeIfAbsent(key, p -> new double[] {burst, nowNanos});
        double elapsed = (nowNanos - bucket[1]) / 1e9;
        bucket[0] = Math.min(burst, bucket[0] + elapsed * perSecond);
        bucket[1] = nowNanos;
        if (bucket[0] < 1) {
            return false;
        }
        bucket[0] -= 1;
        return true;
    }

    private static <K> void give(Map<K, double[]> map, K key, double burst) {
        double[] bucket = map.get(key);
        if (bucket != null) {
            bucket[0] = Math.min(burst, bucket[0] + 1);
        }
    }

    void ban(NodeId peer, String ip, long nowMillis) {
        long until = nowMillis + limits.banDuration().toMillis();
        if (peer != null) {
            bannedIds.put(peer, until);
            buckets.remove(peer);
        }
        if (ip != null && !exempt(ip)) {
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

    /** Whether the per-address limits and IP bans skip {@code ip} (loopback, unless limited). */
    boolean exempt(String ip) {
        return !limits.limitLoopback() && isLoopback(ip);
    }

    /** Rate buckets held, of every kind (for tests of the bound). */
    int trackedBuckets() {
        return buckets.size() + ipBuckets.size() + prefixBuckets.size();
    }

    /** Bans held, of node ids and IPs (for tests of the bound). */
    int trackedBans() {
        return bannedIds.size() + bannedIps.size();
    }

    static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || ip.equals("0:0:0:0:0:0:0:1") || ip.equals("::1");
    }

    /** The /24 or /64 of an IP literal ({@link Addresses#subnet}). */
    static String prefix(String ip) {
        return Addresses.subnet(ip);
    }
}
