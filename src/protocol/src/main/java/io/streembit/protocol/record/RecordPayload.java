package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;

import java.util.Objects;
import java.util.Set;

/**
 * The signed content of a record: {@code {"pub","salt","seq","iat","exp","log","val"}}.
 * {@code seq} is a uint64 restricted to [0, 2^63-1]; {@code iat} and {@code exp} are epoch
 * seconds with {@code iat <= exp}; {@code log} tells a log entry from a slot value; {@code val}
 * is any JSON value (a JWE compact string when the value is encrypted). Immutable: the JSON
 * value is copied in and out.
 */
public record RecordPayload(PublicKey pub, String salt, long seq, long iat, long exp, boolean log, JsonNode val) {
    private static final Set<String> MEMBERS = Set.of("pub", "salt", "seq", "iat", "exp", "log", "val");

    public RecordPayload {
        Objects.requireNonNull(pub, "pub");
        Objects.requireNonNull(val, "val (use NullNode for JSON null)");
        try {
            check(salt, seq, iat, exp);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        val = val.deepCopy();
    }

    @Override
    public JsonNode val() {
        return val.deepCopy();
    }

    /** The DHT key this payload must be stored under. */
    public NodeId key() {
        return RecordKey.of(pub, salt);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("pub", pub.hex());
        json.put("salt", salt);
        json.put("seq", seq);
        json.put("iat", iat);
        json.put("exp", exp);
        json.put("log", log);
        json.set("val", val.deepCopy());
        return json;
    }

    public byte[] toBytes() {
        return Json.bytes(toJson());
    }

    /** Parses payload bytes: MALFORMED for anything but exactly the members above, BAD_KEY for pub. */
    public static RecordPayload parse(byte[] json) throws ProtocolException {
        return fromJson(Json.parse(json, "record payload"));
    }

    public static RecordPayload fromJson(JsonNode json) throws ProtocolException {
        StrictObject o = StrictObject.read(json, "record payload", MEMBERS);
        PublicKey pub = PublicKey.fromHex(o.text("pub"));
        String salt = o.text("salt");
        long seq = o.nonNegativeLong("seq");
        long iat = o.nonNegativeLong("iat");
        long exp = o.nonNegativeLong("exp");
        boolean log = o.bool("log");
        JsonNode val = o.required("val");
        check(salt, seq, iat, exp);
        return new RecordPayload(pub, salt, seq, iat, exp, log, val);
    }

    private static void check(String salt, long seq, long iat, long exp) throws ProtocolException {
        RecordKey.saltBytes(salt);
        if (seq < 0 || iat < 0 || exp < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, "seq, iat and exp must not be negative");
        }
        if (exp < iat) {
            throw new ProtocolException(ErrorCode.MALFORMED, "record expires (exp) before it is issued (iat)");
        }
    }

    @Override
    public String toString() {
        return "RecordPayload[pub=" + pub.nodeId() + ", salt=" + salt + ", seq=" + seq + ", iat=" + iat + ", exp=" + exp
                + ", log=" + log + "]";
    }
}
