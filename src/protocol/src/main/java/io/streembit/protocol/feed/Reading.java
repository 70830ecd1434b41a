package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.StrictObject;

import java.util.Objects;
import java.util.Set;

/**
 * One measurement or event in a feed entry: {@code {"name","ts","value"}}. {@code name} is a
 * property or event name of the device's Thing Description (1 to {@value #MAX_NAME_CHARS}
 * characters; names starting with {@code $} are reserved for the protocol, such as
 * {@link CommandResult#READING_NAME}); {@code ts} is epoch milliseconds (readings come faster
 * than one per second); {@code value} is any JSON value, checked later against the TD.
 */
public record Reading(String name, long ts, JsonNode value) {
    public static final int MAX_NAME_CHARS = 128;
    private static final Set<String> MEMBERS = Set.of("name", "ts", "value");

    public Reading {
        Objects.requireNonNull(value, "value (use NullNode for JSON null)");
        try {
            checkName(name);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (ts < 0) {
            throw new IllegalArgumentException("ts must not be negative");
        }
        value = value.deepCopy();
    }

    @Override
    public JsonNode value() {
        return value.deepCopy();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("name", name);
        json.put("ts", ts);
        json.set("value", value.deepCopy());
        return json;
    }

    public static Reading fromJson(JsonNode json) throws ProtocolException {
        StrictObject o = StrictObject.read(json, "reading", MEMBERS);
        String name = checkName(o.text("name"));
        long ts = o.nonNegativeLong("ts");
        return new Reading(name, ts, o.required("value"));
    }

    private static String checkName(String name) throws ProtocolException {
        return Texts.check(name, "reading name", MAX_NAME_CHARS);
    }
}
