package io.streembit.gateway.ingest;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Verified batches for tests, made the way the gateway makes them: a device seals a feed entry
 * ({@link FeedEntries#seal}), the DHT layer validates the record ({@link RecordValidator}, as
 * {@code DhtNode.verify} does) and the real {@link BatchOpener} opens it. Nothing here bypasses
 * a check, so a test holding one of these holds what a sink gets.
 */
public final class TestBatches {
    private static final FeedEntries ENTRIES = FeedEntries.standard();
    private static final RecordValidator VALIDATOR = new RecordValidator(RecordLimits.DEFAULTS);

    private TestBatches() {}

    /** Entry 1 of {@code device}'s feed, written for {@code gateway}, opened at {@code now}. */
    public static VerifiedBatch batch(
            Identity device, Identity gateway, ThingDescription td, List<Reading> readings, Instant now) {
        ServedDevice served = new ServedDevice(device.account(), device.publicKey(), td, 0, null);
        return open(served, device, gateway, FeedChain.genesis(), readings, now).batch();
    }

    /**
     * The entry after {@code chain} of {@code served}'s feed, sealed by {@code device} and
     * opened by the gateway; fails the test when the opener refuses it.
     */
    public static BatchOpener.Opened open(
            ServedDevice served,
            Identity device,
            Identity gateway,
            FeedChain chain,
            List<Reading> readings,
            Instant now) {
        if (!device.publicKey().equals(served.publicKey())) {
            throw new IllegalArgumentException("the device key is not the served device's");
        }
        FeedEntry entry = chain.nextEntry(readings);
        long iat = now.getEpochSecond();
        String token = ENTRIES.seal(
                device,
                gateway.publicKey(),
                entry,
                iat,
                iat + Duration.ofHours(1).toSeconds());
        VerifiedRecord record;
        try {
            record = VALIDATOR.validate(FeedEntries.key(device.publicKey()), token, now);
        } catch (ProtocolException e) {
            throw new AssertionError("the sealed record does not validate: " + e.getMessage(), e);
        }
        BatchOpener.Outcome outcome = new BatchOpener(gateway, ENTRIES).open(served, record, chain, now);
        if (outcome instanceof BatchOpener.Opened opened) {
            return opened;
        }
        if (outcome instanceof BatchOpener.Refused refused) {
            throw new AssertionError("the opener refused the entry: "
                    + refused.rejection().reason() + ": " + refused.rejection().getMessage());
        }
        throw new AssertionError("the opener gave " + outcome);
    }
}
