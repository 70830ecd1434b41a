package io.streembit.dht.lookup;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookup's pacing on a virtual clock: dead peers (which never answer) among the ones it
 * asks must not hold its alpha slots until the request timeout.
 */
class LookupTest {
    private static final long TIMEOUT_MS = 5_000;
    private static final long RTT_MS = 40;

    /** A tiny discrete-event loop in milliseconds (no Vert.x context: listeners run inline). */
    private static final class Clock {
        private record Event(long at, long seq, Runnable action) {}

        private final PriorityQueue<Event> queue =
                new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        long now;
        long seq;

        Runnable after(long delay, Runnable action) {
            boolean[] cancelled = new boolean[1];
            queue.add(new Event(now + delay, seq++, () -> {
                if (!cancelled[0]) {
                    action.run();
                }
            }));
            return () -> cancelled[0] = true;
        }

        <T> T runUntil(Future<T> future) {
            while (!future.isComplete()) {
                Event e = queue.poll();
                now = e.at;
                e.action.run();
            }
            return future.result();
        }
    }

    /** 60 peers that all know each other (each answers with its 40 closest); {@code dead} never answer. */
    private static final class Net {
        final List<Contact> all = new ArrayList<>();
        final Set<NodeId> dead = new HashSet<>();
        final Clock clock = new Clock();

        Net(int dead) throws NoSuchAlgorithmException {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(16);
            for (int i = 0; i < 60; i++) {
                all.add(Contact.of(Identity.generate(random).publicKey(), "10.0.0." + (i + 1), 4000));
            }
            for (int i = 0; i < dead; i++) {
                this.dead.add(all.get(i * 3).id());
            }
        }

        Future<Lookup.Reply<Void>> ask(Contact peer, NodeId target) {
            Promise<Lookup.Reply<Void>> answer = Promise.promise();
            if (dead.contains(peer.id())) {
                clock.after(TIMEOUT_MS, () -> answer.fail("timeout"));
            } else {
                List<Contact> closest = new ArrayList<>(all);
                closest.sort(io.streembit.dht.routing.RoutingTable.byDistanceTo(target));
                clock.after(RTT_MS, () -> answer.complete(new Lookup.Reply<>(closest.subList(0, 40), null)));
            }
            return answer.future();
        }

        Lookup.Result<Void> lookup(NodeId target, Lookup.Pacing pacing) {
            NodeId self = NodeId.sha1Of(new byte[] {1});
            Lookup<Void> lookup = new Lookup<>(
                    target, self, all.subList(0, 20), 20, 3, peer -> ask(peer, target), c -> {}, c -> {}, pacing);
            return clock.runUntil(lookup.run());
        }

        Lookup.Pacing pacing() {
            RttEstimator rtt = new RttEstimator(
                    java.time.Duration.ofMillis(100),
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofMillis(TIMEOUT_MS));
            // as if earlier lookups had measured the live peers' round trip
            rtt.sample(all.get(1).id(), true, RTT_MS * 1_000_000);
            return new RttPacing(rtt, () -> clock.now * 1_000_000, id -> true, clock::after);
        }
    }

    @Test
    void deadPeersCostTheirPatienceNotTheRequestTimeout() throws Exception {
        Net net = new Net(18);
        NodeId target = NodeId.sha1Of(new byte[] {42});
        long started = net.clock.now;
        Lookup.Result<Void> result = net.lookup(target, net.pacing());
        long took = net.clock.now - started;

        List<Contact> live = new ArrayList<>(net.all);
        live.removeIf(c -> net.dead.contains(c.id()));
        live.sort(io.streembit.dht.routing.RoutingTable.byDistanceTo(target));
        assertThat(result.closest()).containsExactlyElementsOf(live.subList(0, 20));
        // 18 dead peers: each holds a slot for its patience (120 ms), never for the 5 s timeout
        assertThat(took).as("lookup took %d ms", took).isLessThan(1_000);
    }

    @Test
    void withoutPacingEachDeadPeerHoldsASlotForTheWholeTimeout() throws Exception {
        Net net = new Net(18);
        long started = net.clock.now;
        net.lookup(NodeId.sha1Of(new byte[] {42}), Lookup.Pacing.PATIENT);
        assertThat(net.clock.now - started).isGreaterThanOrEqualTo(TIMEOUT_MS);
    }

    @Test
    void aSlowPeersLateAnswerIsUsedWhileTheLookupRunsAndNotWaitedForAfter() throws Exception {
        assertThat(lookupWithClosestAnsweringAfter(130).closest().get(0).id())
                .isEqualTo(closest(7).id());
        Net net = new Net(0);
        Lookup.Result<Void> result = lookupWithClosestAnsweringAfter(net, 60_000);
        assertThat(result.closest()).doesNotContain(closest(7));
        assertThat(net.clock.now).isLessThan(1_000);
    }

    private static Contact closest(int targetByte) throws Exception {
        List<Contact> sorted = new ArrayList<>(new Net(0).all);
        sorted.sort(io.streembit.dht.routing.RoutingTable.byDistanceTo(NodeId.sha1Of(new byte[] {(byte) targetByte})));
        return sorted.get(0);
    }

    private static Lookup.Result<Void> lookupWithClosestAnsweringAfter(long millis) throws Exception {
        return lookupWithClosestAnsweringAfter(new Net(0), millis);
    }

    /** The peer closest to the target answers after {@code millis}, past its 120 ms patience. */
    private static Lookup.Result<Void> lookupWithClosestAnsweringAfter(Net net, long millis) throws Exception {
        NodeId target = NodeId.sha1Of(new byte[] {7});
        Contact slowest = closest(7);
        Lookup<Void> lookup = new Lookup<>(
                target,
                NodeId.sha1Of(new byte[] {1}),
                net.all.subList(0, 20),
                20,
                3,
                peer -> {
                    if (!peer.equals(slowest)) {
                        return net.ask(peer, target);
                    }
                    Promise<Lookup.Reply<Void>> late = Promise.promise();
                    net.clock.after(millis, () -> late.complete(new Lookup.Reply<>(List.of(), null)));
                    return late.future();
                },
                c -> {},
                c -> {},
                net.pacing());
        Lookup.Result<Void> result = net.clock.runUntil(lookup.run());
        System.out.printf("closest answering after %d ms: lookup ended at %d ms%n", millis, net.clock.now);
        return result;
    }

    @Test
    void disjointPathsNeverAskTheSamePeer() throws Exception {
        Net net = new Net(0);
        NodeId target = NodeId.sha1Of(new byte[] {9});
        java.util.Map<NodeId, Integer> asked = new java.util.HashMap<>();
        Future<List<Lookup.Result<Void>>> run = Lookup.disjoint(
                3,
                target,
                NodeId.sha1Of(new byte[] {1}),
                net.all.subList(0, 20),
                20,
                3,
                peer -> {
                    asked.merge(peer.id(), 1, Integer::sum);
                    return net.ask(peer, target);
                },
                c -> {},
                c -> {},
                net.pacing());
        List<Lookup.Result<Void>> paths = net.clock.runUntil(run);
        assertThat(paths).hasSize(3);
        assertThat(asked.values()).allMatch(n -> n == 1);
        // each path answers with its own peers only; the union of their first 5 has no repeats
        List<Contact> union = Lookup.union(paths, 5);
        assertThat(union).doesNotHaveDuplicates();
        assertThat(union.size()).isLessThanOrEqualTo(15);
    }
}
