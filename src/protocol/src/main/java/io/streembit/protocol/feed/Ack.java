package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.StrictObject;

import java.util.Objects;
import java.util.Set;

/**
 * The gateway's acknowledgement of a device's feed up to entry {@code n}: the gateway's slot
 * record under salt {@code ack/<device account>}, {@code seq} = {@code n}, value
 * {@code {"n": n}} (docs/device.md, "Acknowledgements"). A device reads only the seq: the
 * protocol leaves the value open, the gateway writes the same number for readers of the record.
 */
public record Ack(long n) {
    public static final String SALT_PREFIX = "ack/";
    private static final Set<String> MEMBERS = Set.of("n");

    public Ack {
        // entries start at 1: there is nothing to acknowledge before the first
        if (n < 1) {
            throw new IllegalArgumentException("an ack's n starts at 1, got " + n);
        }
    }

    /** The salt of the acks for the device whose account (node id, 40 hex) is {@code deviceAccount}. */
    public static String salt(String deviceAccount) {
        return SALT_PREFIX + Objects.requireNonNull(deviceAccount, "deviceAccount");
    }

    /** The DHT key of the acks {@code gateway} publishes for the device {@code deviceAccount}. */
    public static NodeId key(PublicKey gateway, String deviceAccount) {
        return RecordKey.of(gateway, salt(deviceAccount));
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("n", n);
        return json;
    }

    public static Ack fromJson(JsonNode json) throws ProtocolException {
        long n = StrictObject.read(json, "ack", MEMBERS).nonNegativeLong("n");
        if (n < 1) {
            throw new ProtocolException(ErrorCode.MALFORMED, "an ack's n starts at 1");
        }
        return new Ack(n);
    }

    /** The slot record token of this ack, signed by {@code gateway}, at seq {@code n}. */
    public String sign(Identity gateway, String deviceAccount, long iat, long exp) {
        return Records.sign(gateway, salt(deviceAccount), n, iat, exp, false, toJson());
    }
}
