package io.streembit.gateway.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.DhtNode;
import io.streembit.dht.LogWriter;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.Records;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes the gateway's ack record for one device: slot {@code ack/<device id>}, seq = the last
 * committed entry, value {@code {"n": n}} (docs/device.md, "Acknowledgements"). Each ack is a
 * signed put on the slot's storing nodes, so acks are coalesced: at most one in flight and one
 * per interval, always carrying the latest committed n. A failed put is retried at the next
 * interval; the device re-sends unacknowledged entries meanwhile, which the cursor absorbs.
 */
final class AckPublisher {
    private static final Logger LOG = Logger.getLogger(AckPublisher.class.getName());
    static final String SALT_PREFIX = "ack/";
    /** Acks outlive any republish interval; the DHT's republisher keeps them stored. */
    static final Duration TTL = Duration.ofHours(12);

    private final LogWriter writer;
    private final Vertx vertx;
    private final Identity gateway;
    private final String salt;
    private final Duration interval;
    private final Clock clock;
    private long latest;
    private long published;
    private long lastPutMillis;
    private boolean inFlight;
    private long timer = -1;
    private boolean stopped;

    /** {@code committed}: the cursor at start, acknowledged again by {@link #start} (the last ack may not have gone out). */
    AckPublisher(DhtNode node, Vertx vertx, Identity gateway, String deviceId, long committed, Duration interval,
                 Clock clock) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.salt = SALT_PREFIX + deviceId;
        // one lookup for the slot's storing nodes, kept across acks: a lookup per ack was most of
        // a busy gateway's DHT traffic
        this.writer = node.logWriter(RecordKey.of(gateway.publicKey(), salt));
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
        vertx.cancelTimer(timer);
    }

    private void schedule() {
        if (stopped || inFlight || timer != -1 || latest <= published) {
            return;
        }
        long wait = lastPutMillis + interval.toMillis() - clock.millis();
        if (wait > 0) {
            timer = vertx.setTimer(wait, t -> {
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
        ObjectNode value = Json.object();
        value.put("n", n);
        String token = Records.sign(gateway, salt, n, now, now + TTL.toSeconds(), false, value);
        writer.append(token).onComplete(ar -> {
            synchronized (this) {
                inFlight = false;
                // seq-too-low: a node already holds this ack or a later one (a restart re-acks the cursor)
                if (ar.succeeded() && (ar.result().stored() > 0 || ar.result().errors().containsKey("seq-too-low"))) {
                    published = Math.max(published, n);
                } else {
                    LOG.log(Level.FINE, "ack " + n + " for " + salt + " not stored; retrying",
                            ar.failed() ? ar.cause() : null);
                    lastPutMillis = clock.millis();
                }
                schedule();
            }
        });
    }
}
