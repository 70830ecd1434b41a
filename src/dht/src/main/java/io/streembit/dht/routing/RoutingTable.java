package io.streembit.dht.routing;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Kademlia routing table: 160 k-buckets by the index of the highest bit in which a
 * contact's id differs from ours. Not thread-safe: owned by the node's event loop.
 *
 * <p>IP diversity: a bucket holds at most {@value #MAX_PER_SUBNET} contacts of one /24 (IPv4)
 * or /64 (IPv6), which makes an eclipse attack from one network expensive. Loopback is exempt
 * so that tests can run many nodes on 127.0.0.1.
 */
public final class RoutingTable {
    public static final int ID_BITS = 160;
    static final int MAX_PER_SUBNET = 2;

    private final NodeId self;
    private final int k;
    private final KBucket[] buckets = new KBucket[ID_BITS];

    /** @param createdMillis counts as every bucket's last refresh, so none is stale at start */
    public RoutingTable(NodeId self, int k, long createdMillis) {
        this.self = self;
        this.k = k;
        for (int i = 0; i < ID_BITS; i++) {
            buckets[i] = new KBucket(k);
            buckets[i].setLastTouched(createdMillis);
        }
    }

    /** What {@link #offer} decided. */
    public record Offer(boolean accepted, Contact pingCandidate) {
        static final Offer ACCEPTED = new Offer(true, null);
        static final Offer REFUSED = new Offer(false, null);
    }

    /**
     * A contact was seen alive (it answered, or it authenticated to us). When its bucket is
     * full the result names the least-recently-seen member to ping: call {@link #evict} if it
     * does not answer, {@link #touch} if it does.
     */
    public Offer offer(Contact contact, long nowMillis) {
        int index = self.bucketIndex(contact.id());
        if (index < 0) {
            return Offer.REFUSED;
        }
        KBucket bucket = buckets[index];
        if (!bucket.contains(contact.id())
                && !isLoopback(contact.host())
                && bucket.sameSubnet(contact.host()) >= MAX_PER_SUBNET) {
            return Offer.REFUSED;
        }
        KBucket.Outcome outcome = bucket.touch(contact, nowMillis);
        return outcome == KBucket.Outcome.FULL ? new Offer(false, bucket.leastRecentlySeen()) : Offer.ACCEPTED;
    }

    /** Refreshes a member that just answered (moves it to the most-recently-seen end). */
    public void touch(Contact contact, long nowMillis) {
        int index = self.bucketIndex(contact.id());
        if (index >= 0 && buckets[index].contains(contact.id())) {
            buckets[index].touch(contact, nowMillis);
        }
    }

    /** Removes a contact that failed to answer; a replacement takes its place. */
    public boolean evict(NodeId id) {
        int index = self.bucketIndex(id);
        return index >= 0 && buckets[index].remove(id);
    }

    public boolean contains(NodeId id) {
        int index = self.bucketIndex(id);
        return index >= 0 && buckets[index].contains(id);
    }

    /**
     * Up to {@code n} known contacts closest to {@code target} by XOR distance, closest first.
     * Every FIND_NODE / FIND_VALUE served runs this on the event loop, so it reads only the
     * buckets it needs: with b the bucket {@code target} falls in, bucket b's contacts are the
     * closest (they share bit b with the target), then those of all buckets below b (distance
     * exactly at bit b), then buckets b+1, b+2, ... (distance at their own bit). Only those
     * groups are sorted, each contact's distance computed once.
     */
    public List<Contact> closest(NodeId target, int n) {
        int b = self.bucketIndex(target);
        List<Contact> out = new ArrayList<>(n);
        List<Ranked> group = new ArrayList<>();
        if (b >= 0) {
            buckets[b].forEach(c -> group.add(new Ranked(c, c.id().distance(target))));
            addClosestFirst(group, out, n);
            for (int j = 0; j < b && out.size() < n; j++) {
                buckets[j].forEach(c -> group.add(new Ranked(c, c.id().distance(target))));
            }
            addClosestFirst(group, out, n);
        }
        for (int j = b + 1; j < ID_BITS && out.size() < n; j++) {
            buckets[j].forEach(c -> group.add(new Ranked(c, c.id().distance(target))));
            addClosestFirst(group, out, n);
        }
        return out;
    }

    /** Sorts {@code group} by distance, appends it to {@code out} up to {@code n}, empties it. */
    private static void addClosestFirst(List<Ranked> group, List<Contact> out, int n) {
        group.sort((x, y) -> Arrays.compareUnsigned(x.distance, y.distance));
        for (int i = 0; i < group.size() && out.size() < n; i++) {
            out.add(group.get(i).contact);
        }
        group.clear();
    }

    private record Ranked(Contact contact, byte[] distance) {}

    /** Number of contacts in bucket {@code index}. */
    public int bucketSize(int index) {
        return buckets[index].size();
    }

    public int size() {
        int n = 0;
        for (KBucket bucket : buckets) {
            n += bucket.size();
        }
        return n;
    }

    public List<Contact> all() {
        List<Contact> all = new ArrayList<>();
        for (KBucket bucket : buckets) {
            all.addAll(bucket.contacts());
        }
        return all;
    }

    /**
     * Indexes of buckets not touched for {@code staleMillis}, from the lowest non-empty one up:
     * the buckets to refresh with a lookup of a random id in their range.
     */
    public List<Integer> staleBuckets(long nowMillis, long staleMillis) {
        List<Integer> stale = new ArrayList<>();
        int highest = -1;
        for (int i = ID_BITS - 1; i >= 0; i--) {
            if (buckets[i].size() > 0) {
                highest = i;
                break;
            }
        }
        for (int i = 0; i <= highest; i++) {
            if (nowMillis - buckets[i].lastTouchedMillis() >= staleMillis) {
                stale.add(i);
            }
        }
        return stale;
    }

    public void markRefreshed(int bucketIndex, long nowMillis) {
        buckets[bucketIndex].setLastTouched(nowMillis);
    }

    /** A random id that falls into bucket {@code index} relative to us. */
    public NodeId randomIdInBucket(int index, java.util.Random random) {
        byte[] id = self.bytes();
        byte[] noise = new byte[NodeId.BYTES];
        random.nextBytes(noise);
        int byteIndex = NodeId.BYTES - 1 - index / 8;
        int bit = index % 8;
        // keep our prefix above the bit, flip the bit, randomise below it
        id[byteIndex] ^= (byte) (1 << bit);
        int lowMask = (1 << bit) - 1;
        id[byteIndex] = (byte) ((id[byteIndex] & ~lowMask) | (noise[byteIndex] & lowMask));
        for (int i = byteIndex + 1; i < NodeId.BYTES; i++) {
            id[i] = noise[i];
        }
        try {
            return NodeId.fromBytes(id);
        } catch (io.streembit.protocol.ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    public NodeId self() {
        return self;
    }

    public int k() {
        return k;
    }

    public static Comparator<Contact> byDistanceTo(NodeId target) {
        return (a, b) -> Arrays.compareUnsigned(a.id().distance(target), b.id().distance(target));
    }

    private static boolean isLoopback(String host) {
        return host.startsWith("127.")
                || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1")
                || host.equals("localhost");
    }
}
