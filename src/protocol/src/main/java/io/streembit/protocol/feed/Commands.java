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

import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Commands as records: the gateway's log under salt {@code cmd/<device node id>}, each value a
 * JWE for the device whose header names the gateway as author ({@code iss} = gateway node id).
 * The record expires with the command ({@code exp} of both is the command's).
 */
public final class Commands {
    public static final String SALT_PREFIX = "cmd/";

    private final Jws jws;
    private final Jwe jwe;

    public Commands(Jws jws, Jwe jwe) {
        this.jws = Objects.requireNonNull(jws, "jws");
        this.jwe = Objects.requireNonNull(jwe, "jwe");
    }

    public static Commands standard() {
        return new Commands(Jws.standard(), Jwe.standard());
    }

    /** The salt of the command queue for {@code device}. */
    public static String salt(PublicKey device) {
        return SALT_PREFIX + device.nodeId().hex();
    }

    /** The DHT key of the queue {@code gateway} keeps for {@code device}. */
    public static NodeId key(PublicKey gateway, PublicKey device) {
        return RecordKey.of(gateway, salt(device));
    }

    /** The record token of {@code command} at position {@code seq} of the gateway's queue for {@code device}. */
    public String seal(Identity gateway, PublicKey device, long seq, Command command, long iat) {
        String encrypted = jwe.encrypt(device, command.toBytes(), gateway.account());
        RecordPayload payload = new RecordPayload(
                gateway.publicKey(), salt(device), seq, iat, command.exp(), true, TextNode.valueOf(encrypted));
        return Records.sign(jws, gateway, payload);
    }

    /**
     * Opens a validated command record on {@code device}, in this order: a log record under
     * this device's command salt (MALFORMED), signed by one of the device's controllers
     * (NOT_ALLOWED, checked before any decryption), a JWE for this device (DECRYPT_FAILED)
     * whose author is the signer (AUTHOR_MISMATCH), a well-formed command (MALFORMED) that has
     * not expired at {@code now} (EXPIRED). Duplicate ids are the device's own state to check.
     */
    public Command open(VerifiedRecord record, Identity device, Predicate<PublicKey> controllers, Instant now)
            throws ProtocolException {
        Envelopes.requireLog(record, salt(device.publicKey()), "command");
        if (!controllers.test(record.publisher())) {
            throw new ProtocolException(
                    ErrorCode.NOT_ALLOWED,
                    "command signer " + record.publisher().nodeId() + " is not a controller of this device");
        }
        Command command = Command.parse(Envelopes.open(jwe, record, device, "command"));
        if (command.exp() <= now.getEpochSecond()) {
            throw new ProtocolException(ErrorCode.EXPIRED, "command " + command.id() + " expired at " + command.exp());
        }
        return command;
    }
}
