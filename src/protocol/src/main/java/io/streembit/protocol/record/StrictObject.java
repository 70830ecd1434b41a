package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

import java.util.Iterator;
import java.util.Set;

/**
 * A JSON object read the way every payload of this protocol is read: members outside the
 * declared set are refused (so a field one implementation ignores cannot mean something to
 * another), each member has exactly one JSON type, and every failure is a MALFORMED
 * {@link ProtocolException} naming the member. Used by the record and feed codecs.
 */
public final class StrictObject {
    private final ObjectNode node;
    private final String what;

    private StrictObject(ObjectNode node, String what) {
        this.node = node;
        this.what = what;
    }

    /** Accepts {@code value} only if it is an object whose members all lie in {@code allowed}. */
    public static StrictObject read(JsonNode value, String what, Set<String> allowed) throws ProtocolException {
        if (!(value instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " is not a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ProtocolException(
                        ErrorCode.MALFORMED, "unexpected member '" + truncate(name) + "' in " + what);
            }
        }
        return new StrictObject(object, what);
    }

    /** The member's value, any JSON type (JSON null included); MALFORMED when absent. */
    public JsonNode required(String name) throws ProtocolException {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " has no '" + name + "'");
        }
        return value;
    }

    /** The member's value, or null when the member is absent. */
    public JsonNode optional(String name) {
        return node.get(name);
    }

    public boolean has(String name) {
        return node.has(name);
    }

    /** A required string member holding well-formed Unicode. */
    public String text(String name) throws ProtocolException {
        return text(required(name), what + " '" + name + "'");
    }

    /** A required integer member in [0, 2^63-1]; fractions, exponents and larger values are refused. */
    public long nonNegativeLong(String name) throws ProtocolException {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new ProtocolException(
                    ErrorCode.MALFORMED, what + " '" + name + "' must be an integer in [0, 2^63-1]");
        }
        return value.longValue();
    }

    public boolean bool(String name) throws ProtocolException {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " '" + name + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** A string value holding well-formed Unicode. */
    public static String text(JsonNode value, String what) throws ProtocolException {
        if (value == null || !value.isTextual()) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " must be a string");
        }
        return wellFormed(value.textValue(), what);
    }

    /**
     * Refuses strings with unpaired surrogates. JSON can spell them ({@code "\ud800"}) but
     * UTF-8 cannot encode them: Java would silently write '?', so two different salts would
     * derive the same record key.
     */
    public static String wellFormed(String text, String what) throws ProtocolException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ProtocolException(ErrorCode.MALFORMED, what + " is not well-formed Unicode");
            }
        }
        return text;
    }

    static String truncate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}
