package io.streembit.dht.sim;

import io.streembit.protocol.identity.NodeId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The true k closest ids to a target, by brute force: what a perfect lookup would return. */
final class ClosestOracle {
    private record Candidate(NodeId id, byte[] distance) {}

    private ClosestOracle() {}

    static List<NodeId> closest(Collection<NodeId> ids, NodeId target, NodeId excluded, int k) {
        Comparator<Candidate> nearer = (a, b) -> Arrays.compareUnsigned(a.distance, b.distance);
        PriorityQueue<Candidate> farthestFirst = new PriorityQueue<>(nearer.reversed());
        for (NodeId id : ids) {
            if (id.equals(excluded)) {
                continue;
            }
            Candidate c = new Candidate(id, id.distance(target));
            if (farthestFirst.size() < k) {
                farthestFirst.add(c);
            } else if (nearer.compare(c, farthestFirst.peek()) < 0) {
                farthestFirst.poll();
                farthestFirst.add(c);
            }
        }
        List<Candidate> out = new ArrayList<>(farthestFirst);
        out.sort(nearer);
        List<NodeId> result = new ArrayList<>(out.size());
        out.forEach(c -> result.add(c.id));
        return result;
    }
}
