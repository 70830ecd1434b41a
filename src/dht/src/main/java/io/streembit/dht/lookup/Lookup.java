package io.streembit.dht.lookup;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An iterative Kademlia lookup: ask the alpha closest unasked peers in parallel, merge the
 * closer peers they return, and stop when the k closest known peers have all answered (or
 * failed, or turned slow). Runs on the node's event loop; the query function sends the actual
 * RPC.
 * <p>
 * A query that has not answered within its patience ({@link Pacing}, from the peer's measured
 * round trips) turns <em>slow</em>: it stops holding one of the alpha slots, another peer is
 * asked in its place, and the lookup no longer waits for it to finish. Its answer is still
 * taken if it comes before the lookup ends (libp2p's approach), and its failure still evicts
 * it. So a dead peer costs a lookup its patience (a few round trips), not the request timeout.
 * At most k queries are outstanding at once, slow ones included.
 * <p>
 * Once alpha answers in a row brought no peer closer than the closest already known, the
 * lookup has converged, and it asks all the remaining of the k closest at once instead of
 * alpha at a time (the final round of the Kademlia paper, section 2.3).
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

    /**
     * One query's patience: {@code patienceMillis} first; when that has passed, {@code more}
     * tells how much longer to wait (0: the query is slow now). {@code answered} is called when
     * the peer answers, however late.
     */
    public record Attempt(long patienceMillis, java.util.function.LongSupplier more, Runnable answered) {}

    /** How long each query may hold an alpha slot; see {@link RttPacing}. */
    public interface Pacing {
        /** A query to {@code peer} starts now. */
        Attempt start(Contact peer);

        /** Runs {@code action} after {@code delayMillis}; the returned runnable cancels it. */
        Runnable after(long delayMillis, Runnable action);

        /** Waits for every query until it answers or fails (the request timeout): no patience. */
        Pacing PATIENT = new Pacing() {
            @Override
            public Attempt start(Contact peer) {
                return new Attempt(Long.MAX_VALUE, () -> 0, () -> {});
            }

            @Override
            public Runnable after(long delayMillis, Runnable action) {
                return () -> {};
            }
        };
    }

    private static final int MAX_QUERIES = 1000;

    private final QueryPeerSet peers;
    private final int k;
    private final int alpha;
    private final Query<V> query;
    private final Consumer<Contact> onAnswer;
    private final Consumer<Contact> onFailure;
    private final Pacing pacing;
    /** Claims a peer for this lookup (false: another path of a disjoint lookup has it). */
    private Predicate<NodeId> claim = id -> true;

    private final List<Found<V>> values = new ArrayList<>();
    private final Promise<Result<V>> done = Promise.promise();
    /** Queries holding an alpha slot (waiting, not yet slow). */
    private int inFlight;
    /** Queries not finished, slow ones included. */
    private int outstanding;

    private int queries;
    /** Answers in a row that brought no peer closer than the closest known. */
    private int stalled;

    private boolean finalRound;
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
        this(target, self, start, k, alpha, query, onAnswer, onFailure, Pacing.PATIENT);
    }

    public Lookup(
            NodeId target,
            NodeId self,
            Collection<Contact> start,
            int k,
            int alpha,
            Query<V> query,
            Consumer<Contact> onAnswer,
            Consumer<Contact> onFailure,
            Pacing pacing) {
        this.pacing = pacing;
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

    /**
     * S/Kademlia's disjoint lookup: {@code d} lookups, the start contacts dealt among them in turn,
     * that never ask the same peer (a peer one path asked is skipped by the others). A path that an
     * attacker's nodes steer into their own ids leaves the others alone, so as long as one path
     * stays honest its k closest are the honest closest. Completes with every path's result.
     */
    public static <V> Future<List<Result<V>>> disjoint(
            int d,
            NodeId target,
            NodeId self,
            List<Contact> start,
            int k,
            int alpha,
            Query<V> query,
            Consumer<Contact> onAnswer,
            Consumer<Contact> onFailure,
            Pacing pacing) {
        java.util.Set<NodeId> claimed = new java.util.HashSet<>();
        List<Future<Result<V>>> paths = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            List<Contact> share = new ArrayList<>();
            for (int j = i; j < start.size(); j += d) {
                share.add(start.get(j));
            }
            Lookup<V> path = new Lookup<>(target, self, share, k, alpha, query, onAnswer, onFailure, pacing);
            path.claim = claimed::add;
            paths.add(path.run());
        }
        return Future.all(paths).map(all -> {
            List<Result<V>> out = new ArrayList<>();
            paths.forEach(f -> out.add(f.result()));
            return out;
        });
    }

    /** The first {@code r} of each path's closest, without repeats, in path order. */
    public static <V> List<Contact> union(List<Result<V>> paths, int r) {
        java.util.LinkedHashMap<NodeId, Contact> out = new java.util.LinkedHashMap<>();
        for (Result<V> path : paths) {
            List<Contact> closest = path.closest();
            for (Contact c : closest.subList(0, Math.min(r, closest.size()))) {
                out.putIfAbsent(c.id(), c);
            }
        }
        return new ArrayList<>(out.values());
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
        int parallel = finalRound ? k : alpha;
        while (inFlight < parallel && outstanding < k && queries < MAX_QUERIES) {
            QueryPeerSet.Entry next = peers.nextToQuery(k);
            if (next == null) {
                break;
            }
            if (!claim.test(next.contact.id())) {
                next.state = QueryPeerSet.State.TAKEN;
                continue;
            }
            ask(next);
        }
        // slow queries fill the cap on outstanding ones: a candidate left unasked waits for one
        boolean blocked = outstanding >= k && queries < MAX_QUERIES && peers.nextToQuery(k) != null;
        if (inFlight == 0 && !blocked) {
            List<QueryPeerSet.Entry> closest = peers.closestQueried(k);
            List<Contact> contacts = new ArrayList<>(closest.size());
            for (QueryPeerSet.Entry e : closest) {
                contacts.add(e.contact);
            }
            int hops = closest.isEmpty() ? 0 : closest.get(0).depth + 1;
            done.tryComplete(new Result<>(contacts, values, hops, queries));
        }
    }

    private void turnSlow(QueryPeerSet.Entry entry) {
        if (entry.state == QueryPeerSet.State.WAITING) {
            entry.state = QueryPeerSet.State.SLOW;
            inFlight--;
            step();
        }
    }

    private void ask(QueryPeerSet.Entry entry) {
        entry.state = QueryPeerSet.State.WAITING;
        inFlight++;
        outstanding++;
        queries++;
        Attempt attempt = pacing.start(entry.contact);
        Runnable[] cancelPatience = {() -> {}};
        if (attempt.patienceMillis() != Long.MAX_VALUE) {
            cancelPatience[0] = pacing.after(Math.max(1, attempt.patienceMillis()), () -> {
                long more = entry.state == QueryPeerSet.State.WAITING
                        ? attempt.more().getAsLong()
                        : 0;
                if (more > 0) {
                    cancelPatience[0] = pacing.after(more, () -> turnSlow(entry));
                } else {
                    turnSlow(entry);
                }
            });
        }
        query.ask(entry.contact).onComplete(ar -> {
            cancelPatience[0].run();
            outstanding--;
            if (entry.state == QueryPeerSet.State.WAITING) {
                inFlight--;
            }
            if (ar.succeeded()) {
                attempt.answered().run();
                entry.state = QueryPeerSet.State.QUERIED;
                onAnswer.accept(entry.contact);
                Reply<V> reply = ar.result();
                byte[] closestBefore = peers.closestHeard();
                for (Contact c : reply.closer()) {
                    peers.add(c, entry.depth + 1);
                }
                if (peers.closestHeard() != closestBefore) {
                    stalled = 0;
                } else if (++stalled >= alpha) {
                    finalRound = true;
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
