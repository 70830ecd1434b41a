package io.streembit.dht.sim;

import io.streembit.dht.lookup.Lookup;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.List;

/**
 * One measured lookup.
 *
 * @param closestFound the first contact returned is the true closest (live) node
 * @param kExact       the contacts returned are exactly the true k closest, in order
 * @param failures     RPCs of this lookup that got no answer
 */
record LookupSample(int hops, int queries, double latencyMillis, int failures, boolean closestFound, boolean kExact) {

    static LookupSample of(Lookup.Result<?> result, double latencyMillis, int failures, List<NodeId> truth) {
        List<NodeId> got = result.closest().stream().map(Contact::id).toList();
        boolean closestFound = !got.isEmpty() && !truth.isEmpty() && got.get(0).equals(truth.get(0));
        return new LookupSample(
                result.hops(), result.queries(), latencyMillis, failures, closestFound, got.equals(truth));
    }
}
