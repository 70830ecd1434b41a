package io.streembit.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The module's single JSON mapper. Parsing is strict: duplicate member names (a classic way to
 * make two parsers see two different headers), trailing data and non-standard JSON are refused.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses bytes that must hold exactly one JSON object. */
    public static ObjectNode parseObject(byte[] bytes, String what) throws ProtocolException {
        JsonNode node = parse(bytes, what);
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " is not a JSON object");
        }
        return object;
    }

    /** Parses bytes that must hold exactly one JSON value. */
    public static JsonNode parse(byte[] bytes, String what) throws ProtocolException {
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new ProtocolException(ErrorCode.MALFORMED, what + " is empty");
            }
            if (parser.nextToken() != null) {
                throw new ProtocolException(ErrorCode.MALFORMED, what + " has trailing data");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + " is not valid JSON", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    public static String text(JsonNode node) {
        String scalar = scalarText(node);
        return scalar != null ? scalar : new String(bytes(node), StandardCharsets.UTF_8);
    }

    /**
     * The text the mapper writes for a number, boolean or null, without a generator: most
     * readings are one number, and a generator per value was a tenth of a busy gateway's CPU.
     * Null for anything else (strings need escaping, doubles and floats the mapper's own format).
     */
    private static String scalarText(JsonNode node) {
        if (node instanceof DecimalNode
                || node instanceof IntNode
                || node instanceof LongNode
                || node instanceof BigIntegerNode
                || node instanceof ShortNode) {
            return node.numberValue().toString(); // BigDecimal.toString: WRITE_BIGDECIMAL_AS_PLAIN is off
        }
        if (node instanceof BooleanNode || node instanceof NullNode) {
            return node.asText();
        }
        return null;
    }
}
