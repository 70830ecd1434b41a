package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;

import java.util.Objects;

/**
 * Feed entries as records: a device's log under salt {@value #SALT}, entry {@code n} at seq
 * {@code n}, its value a JWE for the gateway whose header names the device as author
 * ({@code iss} = device node id). Encrypt-then-sign: the gateway checks the record signature
 * (the validator), then that the JWE author is the signer, then decrypts.
 */
public final class FeedEntries {
    public static final String SALT = "feed";

    private final Jws jws;
    private final Jwe jwe;

    public FeedEntries(Jws jws, Jwe jwe) {
        this.jws = Objects.requireNonNull(jws, "jws");
        this.jwe = Objects.requireNonNull(jwe, "jwe");
    }

    public static FeedEntries standard() {
        return new FeedEntries(Jws.standard(), Jwe.standard());
    }

    /** The DHT key of {@code device}'s feed. */
    public static NodeId key(PublicKey device) {
        return RecordKey.of(device, SALT);
    }

    /** The record token of {@code entry}, signed by {@code device}, readable only by {@code gateway}. */
    public String seal(Identity device, PublicKey gateway, FeedEntry entry, long iat, long exp) {
        String encrypted = jwe.encrypt(gateway, entry.toBytes(), device.account());
        RecordPayload payload =
                new RecordPayload(device.publicKey(), SALT, entry.n(), iat, exp, true, TextNode.valueOf(encrypted));
        return Records.sign(jws, device, payload);
    }

    /**
     * Decrypts a validated feed record. Fails with MALFORMED for a record that is not a feed
     * entry (other salt, not a log, val not a string, plaintext not a feed entry, or a seq other
     * than the entry's n: a device that signs entry n at another seq is broken, and the chain
     * check would be meaningless), DECRYPT_FAILED when the value is not for {@code gateway},
     * AUTHOR_MISMATCH when the JWE's author is not the record's signer.
     */
    public FeedEntry open(VerifiedRecord record, Identity gateway) throws ProtocolException {
        Envelopes.requireLog(record, SALT, "feed");
        FeedEntry entry = FeedEntry.parse(Envelopes.open(jwe, record, gateway, "feed entry"));
        if (entry.n() != record.seq()) {
            throw new ProtocolException(
                    ErrorCode.MALFORMED, "feed entry n " + entry.n() + " is stored at seq " + record.seq());
        }
        return entry;
    }
}
