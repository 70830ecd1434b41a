package io.streembit.dht.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

/** Typed reads of message members, each failing with a precise MALFORMED error. */
public final class Messages {
    private Messages() {}

    public static String text(JsonNode node, String name) throws ProtocolException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "'" + name + "' must be a string");
        }
        return value.textValue();
    }

    public static long longValue(JsonNode node, String name, long min, long max) throws ProtocolException {
        JsonNode value = node.get(name);
        // integral JSON numbers only: 1.0 or 1e0 would give one value two wire forms
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "'" + name + "' must be an integer");
        }
        long v = value.longValue();
        if (v < min || v > max) {
            throw new ProtocolException(ErrorCode.MALFORMED, "'" + name + "' out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    public static int intValue(JsonNode node, String name, int min, int max) throws ProtocolException {
        return (int) longValue(node, name, min, max);
    }

    public static long optionalLong(JsonNode node, String name, long min, long max, long fallback)
            throws ProtocolException {
        return node.has(name) ? longValue(node, name, min, max) : fallback;
    }
}
