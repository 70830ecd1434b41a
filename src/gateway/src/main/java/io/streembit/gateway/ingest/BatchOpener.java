package io.streembit.gateway.ingest;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.ChainStep;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.VerifiedRecord;

import java.time.Instant;
import java.util.List;

/**
 * Turns a feed record (already signature-checked by the DHT layer) into a {@link VerifiedBatch}:
 * publisher is the served device, JWE for this gateway by that device, the next link of the
 * chain, every reading valid against the device's Thing Description. CPU-bound (one ECDH and
 * one AES-GCM per entry): run it off the event loop. Stateless and thread-safe.
 */
public final class BatchOpener {
    /** The result of offering one record: a batch to route, or an entry the chain already has. */
    public sealed interface Outcome permits Opened, Stale, Refused {}

    /** A batch to route; {@code next} is the chain once it is committed. */
    public record Opened(VerifiedBatch batch, FeedChain next) implements Outcome {}

    /** The entry is the cursor's (or older): already routed, nothing to do. */
    public record Stale(long seq) implements Outcome {}

    /**
     * A refused entry with the chain as it stands after it: the next entry links to the refused
     * one's token whatever was wrong inside it, so quarantining one entry does not break the
     * chain for the rest of the feed.
     */
    public record Refused(IngestRejection rejection, FeedChain next) implements Outcome {}

    private final Identity gateway;
    private final FeedEntries entries;

    public BatchOpener(Identity gateway, FeedEntries entries) {
        this.gateway = gateway;
        this.entries = entries;
    }

    /** Opens {@code record} as the entry after {@code chain} of {@code device}'s feed. */
    public Outcome open(ServedDevice device, VerifiedRecord record, FeedChain chain, Instant now) {
        if (!record.publisher().equals(device.publicKey())) {
            // The subscription is keyed by the device's feed key, which only its key can sign for;
            // anything else here is a bug upstream, refused rather than trusted.
            return refused(
                    "not-allowed", "record signed by " + record.publisher().nodeId() + ", not by the device", record);
        }
        if (record.seq() <= chain.lastN()) {
            return new Stale(record.seq());
        }
        if (record.seq() > chain.lastN() + 1) {
            throw new IllegalStateException(
                    "entry " + record.seq() + " offered after " + chain.lastN() + ": the follower delivers in order");
        }
        FeedEntry entry;
        FeedChain next;
        try {
            entry = entries.open(record, gateway);
            ChainStep step = chain.append(entry, record.token());
            if (!(step instanceof ChainStep.Linked linked)) {
                throw new IllegalStateException("entry " + record.seq() + " after " + chain.lastN() + " gave " + step);
            }
            next = linked.chain();
        } catch (ProtocolException e) {
            return refused(e.code().code(), detail(e), record);
        }
        List<Reading> readings = entry.readings();
        for (int i = 0; i < readings.size(); i++) {
            Reading reading = readings.get(i);
            try {
                device.td().validateReading(reading.name(), reading.value());
            } catch (ProtocolException e) {
                // One bad reading refuses the whole batch: a batch is never half-applied.
                return new Refused(
                        new IngestRejection(
                                e.code().code(), "reading " + i + " (" + reading.name() + "): " + detail(e)),
                        next);
            }
        }
        VerifiedBatch batch = new VerifiedBatch(
                device.id(),
                device.publicKey(),
                record.seq(),
                device.td().id(),
                readings,
                next.lastHash(),
                record.payload().iat(),
                now);
        return new Opened(batch, next);
    }

    /** The message without its leading code: the reason is stored beside it. */
    private static String detail(ProtocolException e) {
        String prefix = e.code().code() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static Refused refused(String reason, String detail, VerifiedRecord record) {
        return new Refused(new IngestRejection(reason, detail), FeedChain.after(record.seq(), record.token()));
    }
}
