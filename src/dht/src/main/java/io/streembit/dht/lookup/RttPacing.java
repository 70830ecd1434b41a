package io.streembit.dht.lookup;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.NodeId;

import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A lookup's pacing from measured round trips: each query gets the patience the
 * {@link RttEstimator} grants its peer (a first contact in two stages: it must have connected
 * within the dial's share, then it gets the rest), and each answer (even one that arrives after the
 * lookup moved on) is a new sample. Timers and the clock are injected, so the simulation runs
 * the same code on virtual time.
 */
public final class RttPacing implements Lookup.Pacing {
    /** Runs an action after a delay; the returned runnable cancels it. */
    public interface Timers {
        Runnable after(long delayMillis, Runnable action);
    }

    private final RttEstimator estimator;
    private final LongSupplier nanoClock;
    private final Predicate<NodeId> connected;
    private final Timers timers;

    public RttPacing(RttEstimator estimator, LongSupplier nanoClock, Predicate<NodeId> connected, Timers timers) {
        this.estimator = estimator;
        this.nanoClock = nanoClock;
        this.connected = connected;
        this.timers = timers;
    }

    @Override
    public Lookup.Attempt start(Contact peer) {
        boolean warm = connected.test(peer.id());
        long started = nanoClock.getAsLong();
        long patience = estimator.patienceMillis(peer.id(), warm);
        Runnable answered = () -> estimator.sample(peer.id(), warm, nanoClock.getAsLong() - started);
        if (warm) {
            return new Lookup.Attempt(patience, () -> 0, answered);
        }
        // a first contact: past the dial's share of its patience, wait on only if it connected
        long dial = estimator.dialPatienceMillis();
        return new Lookup.Attempt(dial, () -> connected.test(peer.id()) ? Math.max(0, patience - dial) : 0, answered);
    }

    @Override
    public Runnable after(long delayMillis, Runnable action) {
        return timers.after(delayMillis, action);
    }

    public RttEstimator estimator() {
        return estimator;
    }
}
