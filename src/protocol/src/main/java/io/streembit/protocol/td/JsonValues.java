package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Json;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** JSON value helpers with JSON Schema semantics (numbers compare by value, not by Java type). */
final class JsonValues {
    private static final int DESCRIBE_MAX = 64;

    private JsonValues() {}

    /** The exact decimal value of a number node, or null when it is not a finite number. */
    static BigDecimal decimal(JsonNode node) {
        if (!node.isNumber()) {
            return null;
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return null;
        }
        return node.decimalValue();
    }

    static boolean isInteger(JsonNode node) {
        if (node.isIntegralNumber()) {
            return true;
        }
        BigDecimal d = decimal(node);
        return d != null && d.stripTrailingZeros().scale() <= 0;
    }

    /** JSON Schema equality: 1 equals 1.0, objects ignore member order, arrays do not. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(b);
            return x != null && y != null ? x.compareTo(y) == 0 : a.equals(b);
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A short JSON rendering of a value for error messages. */
    static String describe(JsonNode value) {
        String text = Json.text(value);
        return text.length() <= DESCRIBE_MAX ? text : text.substring(0, DESCRIBE_MAX) + "...";
    }

    /**
     * A name between single quotes for a message, JSON-escaped (so a hostile name cannot
     * forge log lines) and truncated.
     */
    static String quoteName(String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() <= DESCRIBE_MAX ? name : name.substring(0, DESCRIBE_MAX) + "...";
        String json = Json.text(TextNode.valueOf(shown));
        return "'" + json.substring(1, json.length() - 1) + "'";
    }

    /** Appends a member name to a JSON pointer (RFC 6901 escaping). */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) {
        return pointer + "/" + index;
    }
}
