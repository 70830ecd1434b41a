package io.streembit.gateway.ingest;

import io.streembit.protocol.feed.FeedChain;
import io.vertx.core.Future;

import java.time.Duration;

/** What followers report. Calls come from any thread and must not block. */
public interface IngestEvents {
    /**
     * Entry {@code seq} is refused for good: record it with its token and move the cursor past
     * it (to {@code next}) in one step. The follower retries until the future succeeds.
     */
    Future<Void> quarantine(ServedDevice device, long seq, IngestRejection rejection, String token, FeedChain next);

    /** A batch is routed and its cursor committed. */
    void committed(VerifiedBatch batch);

    /** An entry the cursor already covers came again (a replica or a re-send): not routed twice. */
    void duplicate(ServedDevice device, long seq);

    /** Delivering entry {@code seq} failed; it is tried again after {@code retryIn}. */
    void deliveryFailed(ServedDevice device, long seq, Throwable cause, Duration retryIn);

    /** Entries {@code from..to} are missing while later ones are stored: the feed waits there. */
    void gap(ServedDevice device, long from, long to);

    /** The feed's head as the storing nodes report it (for the lag). */
    void head(ServedDevice device, long head);
}
