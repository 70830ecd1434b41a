package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The seven JSON Schema instance types a Thing Description data schema can name. */
public enum JsonType {
    BOOLEAN,
    INTEGER,
    NUMBER,
    STRING,
    OBJECT,
    ARRAY,
    NULL;

    /** The name used in JSON ({@code "integer"}, ...). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code wire}, or null when it names none. */
    public static JsonType fromWire(String wire) {
        for (JsonType t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether {@code value} is an instance of this type. As in JSON Schema, "integer" is any
     * number with no fractional part (so {@code 2.0} is an integer) and every integer is a number.
     */
    public boolean matches(JsonNode value) {
        return switch (this) {
            case BOOLEAN -> value.isBoolean();
            case INTEGER -> JsonValues.isInteger(value);
            case NUMBER -> value.isNumber();
            case STRING -> value.isTextual();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
            case NULL -> value.isNull();
        };
    }

    @Override
    public String toString() {
        return wire();
    }
}
