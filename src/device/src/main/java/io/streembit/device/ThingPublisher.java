package io.streembit.device;

import io.streembit.dht.DhtNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the device's Thing Description in the network: a slot record under salt {@value #SALT}
 * whose {@code seq} is the epoch second of signing (so every new version, and every refresh,
 * outranks the previous one without any stored counter; a refresh within the same second is
 * byte-identical, an idempotent re-store). Re-signed at half its lifetime, retried every
 * {@link #RETRY} while no node takes it.
 */
final class ThingPublisher {
    static final String SALT = "td";
    static final Duration RETRY = Duration.ofSeconds(15);
    private static final Logger LOG = Logger.getLogger(ThingPublisher.class.getName());

    private final DhtNode node;
    private final Vertx vertx;
    private final Identity device;
    private final ThingDescription td;
    private final Duration ttl;
    private final Clock clock;
    private long timer = -1;
    private boolean stopped;
    private volatile long publishedSeq = -1;

    ThingPublisher(DhtNode node, Vertx vertx, Identity device, ThingDescription td, Duration ttl, Clock clock) {
        this.node = node;
        this.vertx = vertx;
        this.device = device;
        this.td = td;
        this.ttl = ttl;
        this.clock = clock;
    }

    void start() {
        publish();
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    /** The seq of the last TD record a node took, -1 before. */
    long publishedSeq() {
        return publishedSeq;
    }

    private void publish() {
        if (stopped) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        String token = Records.sign(device, SALT, now, now, now + ttl.getSeconds(), false, td.json());
        node.put(token).onComplete(ar -> {
            if (stopped) {
                return;
            }
            boolean ok = ar.succeeded() && FeedPublisher.remoteStored(ar.result()) > 0;
            if (ok) {
                publishedSeq = now;
            } else {
                LOG.fine(() -> "Thing Description not stored yet; retrying in " + RETRY.toSeconds() + " s");
            }
            long delay = ok ? ttl.toMillis() / 2 : RETRY.toMillis();
            timer = vertx.setTimer(Math.max(1, delay), t -> publish());
        });
    }
}
