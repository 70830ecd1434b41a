package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.StrictObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The plaintext of feed entry {@code n}: {@code {"n","prev","readings"}}. {@code n} starts at 1
 * and equals the record's seq; {@code prev} is the base64url SHA-256 of entry {@code n-1}'s
 * record token (its ASCII bytes), and for entry 1 the SHA-256 of no bytes at all
 * ({@link FeedChain#GENESIS_PREV}, required). {@code readings} may be empty (an entry that only extends
 * the chain).
 */
public record FeedEntry(long n, String prev, List<Reading> readings) {
    private static final Set<String> MEMBERS = Set.of("n", "prev", "readings");

    public FeedEntry {
        try {
            check(n, prev);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        readings = List.copyOf(readings);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("n", n);
        json.put("prev", prev);
        ArrayNode array = json.putArray("readings");
        for (Reading reading : readings) {
            array.add(reading.toJson());
        }
        return json;
    }

    public byte[] toBytes() {
        return Json.bytes(toJson());
    }

    public static FeedEntry parse(byte[] json) throws ProtocolException {
        return fromJson(Json.parse(json, "feed entry"));
    }

    public static FeedEntry fromJson(JsonNode json) throws ProtocolException {
        StrictObject o = StrictObject.read(json, "feed entry", MEMBERS);
        long n = o.nonNegativeLong("n");
        String prev = o.text("prev");
        check(n, prev);
        JsonNode array = o.required("readings");
        if (!array.isArray()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "feed entry 'readings' must be an array");
        }
        List<Reading> readings = new ArrayList<>(array.size());
        for (JsonNode reading : array) {
            readings.add(Reading.fromJson(reading));
        }
        return new FeedEntry(n, prev, readings);
    }

    private static void check(long n, String prev) throws ProtocolException {
        if (n < 1) {
            throw new ProtocolException(ErrorCode.MALFORMED, "feed entry n starts at 1");
        }
        Objects.requireNonNull(prev, "prev");
        if (Base64Url.decode(prev, "feed entry prev").length != 32) {
            throw new ProtocolException(ErrorCode.MALFORMED, "feed entry prev must be a SHA-256 (32 bytes)");
        }
        // Entry 1 has no predecessor: fixing its prev means no chain can start two ways.
        if (n == 1 && !prev.equals(FeedChain.GENESIS_PREV)) {
            throw new ProtocolException(ErrorCode.MALFORMED, "feed entry 1 must carry the genesis prev");
        }
    }
}
