package io.streembit.gateway.ingest;

import io.streembit.dht.DhtNode;
import io.streembit.dht.LogWriter;
import io.streembit.dht.PutResult;
import io.streembit.protocol.feed.Ack;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Future;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Publishes the gateway's ack record for one device ({@link Ack}: seq and value the last
 * committed entry; docs/device.md, "Acknowledgements"). Each ack is a signed put on the slot's
 * storing nodes, so acks are coalesced: at most one in flight and one per interval, always
 * carrying the latest committed n. A failed put is retried at the next
 * interval; the device re-sends unacknowledged entries meanwhile, which the cursor absorbs.
 */
final class AckPublisher {
    private static final Logger LOG = Logger.getLogger(AckPublisher.class);
    /** Acks outlive any republish interval; the DHT's republisher keeps them stored. */
    static final Duration TTL = Duration.ofHours(12);

    /** Stores one ack record: in the gateway, the DHT's {@link LogWriter} of the ack slot. */
    @FunctionalInterface
    interface AckSlot {
        Future<PutResult> put(String token);
    }

    private final AckSlot slot;
    private final IngestTimers timers;
    private final Identity gateway;
    private final String deviceId;
    private final Duration interval;
    private final Clock clock;
    private long latest;
    private long published;
    private long lastPutMillis;
    private boolean inFlight;
    private long timer = -1;
    private boolean stopped;

    /** {@code committed}: the cursor at start, acknowledged again by {@link #start} (the last ack may not have gone out). */
    AckPublisher(
            DhtNode node,
            IngestTimers timers,
            Identity gateway,
            String deviceId,
            long committed,
            Duration interval,
            Clock clock) {
        // one lookup for the slot's storing nodes, kept across acks: a lookup per ack was most of
        // a busy gateway's DHT traffic
        this(
                node.logWriter(Ack.key(gateway.publicKey(), deviceId))::append,
                timers,
                gateway,
                deviceId,
                committed,
                interval,
                clock);
    }

    AckPublisher(
            AckSlot slot,
            IngestTimers timers,
            Identity gateway,
            String deviceId,
            long committed,
            Duration interval,
            Clock clock) {
        this.slot = slot;
        this.timers = timers;
        this.gateway = gateway;
        this.deviceId = deviceId;
        this.latest = committed;
        this.interval = interval;
        this.clock = clock;
    }

    /** Entry {@code n} is committed: acknowledge it (now or at the next interval). */
    synchronized void committed(long n) {
        if (n > latest) {
            latest = n;
            schedule();
        }
    }

    synchronized void start() {
        schedule();
    }

    synchronized void stop() {
        stopped = true;
        timers.cancelTimer(timer);
    }

    private void schedule() {
        if (stopped || inFlight || timer != -1 || latest <= published) {
            return;
        }
        long wait = lastPutMillis + interval.toMillis() - clock.millis();
        if (wait > 0) {
            timer = timers.setTimer(wait, () -> {
                synchronized (this) {
                    timer = -1;
                    schedule();
                }
            });
            return;
        }
        long n = latest;
        inFlight = true;
        lastPutMillis = clock.millis();
        long now = clock.instant().getEpochSecond();
        String token = new Ack(n).sign(gateway, deviceId, now, now + TTL.toSeconds());
        slot.put(token).onComplete(ar -> {
            synchronized (this) {
                inFlight = false;
                // seq-too-low: a node already holds this ack or a later one (a restart re-acks the cursor)
                if (ar.succeeded()
                        && (ar.result().stored() > 0 || ar.result().errors().containsKey("seq-too-low"))) {
                    published = Math.max(published, n);
                } else {
                    LOG.debugf(
                            ar.failed() ? ar.cause() : null, "ack %d for device %s not stored; retrying", n, deviceId);
                    lastPutMillis = clock.millis();
                }
                schedule();
            }
        });
    }
}
