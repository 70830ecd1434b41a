package io.streembit.dht.lookup;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * An iterative Kademlia lookup: ask the alpha closest unasked peers in parallel, merge the
 * closer peers they return, and stop when the k closest known peers have all answered (or
 * failed). Runs on the node's event loop; the query function sends the actual RPC.
 *
 * @param <V> what a peer may return besides closer contacts (records for FIND_VALUE)
 */
public final class Lookup<V> {
    /** One peer's answer. */
    public record Reply<V>(List<Contact> closer, V value) {}

    /** A contact that answered with a value. */
    public record Found<V>(Contact from, V value) {}

    /**
     * The outcome: the k closest peers that answered (closest first), every value returned,
     * and the number of hops (the depth at which the closest answering peer was learnt).
     */
    public record Result<V>(List<Contact> closest, List<Found<V>> values, int hops, int queries) {}

    public interface Query<V> {
        Future<Reply<V>> ask(Contact peer);
    }

    private static final int MAX_QUERIES = 1000;

    private final QueryPeerSet peers;
    private final int k;
    private final int alpha;
    private final Query<V> query;
    private final Consumer<Contact> onAnswer;
    private final Consumer<Contact> onFailure;
    private final List<Found<V>> values = new ArrayList<>();
    private final Promise<Result<V>> done = Promise.promise();
    private int inFlight;
    private int queries;
    private boolean stepping;
    private boolean stepAgain;

    public Lookup(
            NodeId target,
            NodeId self,
            Collection<Contact> start,
            int k,
            int alpha,
            Query<V> query,
            Consumer<Contact> onAnswer,
            Consumer<Contact> onFailure) {
        this.peers = new QueryPeerSet(target, self);
        this.k = k;
        this.alpha = alpha;
        this.query = query;
        this.onAnswer = onAnswer;
        this.onFailure = onFailure;
        for (Contact c : start) {
            peers.add(c, 0);
        }
    }

    public Future<Result<V>> run() {
        step();
        return done.future();
    }

    /**
     * Re-entrant calls (a query that fails synchronously completes inside {@link #ask}) only
     * flag another round, so a run of failing peers cannot grow the stack.
     */
    private void step() {
        if (stepping) {
            stepAgain = true;
            return;
        }
        stepping = true;
        try {
            do {
                stepAgain = false;
                stepOnce();
            } while (stepAgain);
        } finally {
            stepping = false;
        }
    }

    private void stepOnce() {
        if (done.future().isComplete()) {
            return;
        }
        while (inFlight < alpha && queries < MAX_QUERIES) {
            QueryPeerSet.Entry next = peers.nextToQuery(k);
            if (next == null) {
                break;
            }
            ask(next);
        }
        if (inFlight == 0) {
            List<QueryPeerSet.Entry> closest = peers.closestQueried(k);
            List<Contact> contacts = new ArrayList<>(closest.size());
            for (QueryPeerSet.Entry e : closest) {
                contacts.add(e.contact);
            }
            int hops = closest.isEmpty() ? 0 : closest.get(0).depth + 1;
            done.tryComplete(new Result<>(contacts, values, hops, queries));
        }
    }

    private void ask(QueryPeerSet.Entry entry) {
        entry.state = QueryPeerSet.State.WAITING;
        inFlight++;
        queries++;
        query.ask(entry.contact).onComplete(ar -> {
            inFlight--;
            if (ar.succeeded()) {
                entry.state = QueryPeerSet.State.QUERIED;
                onAnswer.accept(entry.contact);
                Reply<V> reply = ar.result();
                for (Contact c : reply.closer()) {
                    peers.add(c, entry.depth + 1);
                }
                if (reply.value() != null) {
                    values.add(new Found<>(entry.contact, reply.value()));
                }
            } else {
                entry.state = QueryPeerSet.State.UNREACHABLE;
                onFailure.accept(entry.contact);
            }
            step();
        });
    }
}
