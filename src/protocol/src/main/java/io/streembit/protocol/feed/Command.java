package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.StrictObject;

import java.util.Set;

/**
 * A command for a device: {@code {"id","action","input"?,"exp"}}. {@code id} (1 to
 * {@value #MAX_ID_CHARS} characters) is unique per gateway and device, so the device can
 * refuse duplicates; {@code action} names an action of the device's Thing Description;
 * {@code input} is the action's input, any JSON value, absent (Java null) when the action
 * takes none; {@code exp} is epoch seconds after which the device must not execute it.
 */
public record Command(String id, String action, JsonNode input, long exp) {
    public static final int MAX_ID_CHARS = 128;
    public static final int MAX_ACTION_CHARS = 128;
    private static final Set<String> MEMBERS = Set.of("id", "action", "input", "exp");

    public Command {
        try {
            check(id, action, exp);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        input = input == null ? null : input.deepCopy();
    }

    @Override
    public JsonNode input() {
        return input == null ? null : input.deepCopy();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("action", action);
        if (input != null) {
            json.set("input", input.deepCopy());
        }
        json.put("exp", exp);
        return json;
    }

    public byte[] toBytes() {
        return Json.bytes(toJson());
    }

    public static Command parse(byte[] json) throws ProtocolException {
        return fromJson(Json.parse(json, "command"));
    }

    public static Command fromJson(JsonNode json) throws ProtocolException {
        StrictObject o = StrictObject.read(json, "command", MEMBERS);
        String id = o.text("id");
        String action = o.text("action");
        long exp = o.nonNegativeLong("exp");
        check(id, action, exp);
        return new Command(id, action, o.optional("input"), exp);
    }

    private static void check(String id, String action, long exp) throws ProtocolException {
        Texts.check(id, "command id", MAX_ID_CHARS);
        Texts.check(action, "command action", MAX_ACTION_CHARS);
        if (exp < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, "command exp must not be negative");
        }
    }
}
