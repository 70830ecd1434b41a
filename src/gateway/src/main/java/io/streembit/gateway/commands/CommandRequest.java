package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Command;

import java.net.URI;
import java.util.Iterator;
import java.util.Set;

/**
 * What a portal asks: {@code {"action","input"?,"timeoutSeconds"?,"correlationId"?,"callbackUrl"?}}
 * (schemas/command-request.schema.json), plus {@code deviceId} where the intake has no other
 * place for it (a Kafka record). Parsed strictly: an unknown member is refused, not ignored, so
 * a misspelt {@code "callbackURL"} does not silently lose the result.
 */
public record CommandRequest(String deviceId, String action, JsonNode input, Integer timeoutSeconds,
                             String correlationId, String callbackUrl) {
    public static final int MAX_CORRELATION_CHARS = 128;
    public static final int MAX_URL_CHARS = 2048;
    private static final Set<String> MEMBERS = Set.of("deviceId", "action", "input", "timeoutSeconds",
            "correlationId", "callbackUrl");

    public static CommandRequest parse(JsonNode json) throws CommandRefused {
        if (!(json instanceof ObjectNode object)) {
            throw malformed("a command request is a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw malformed("unknown member '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                        + "'; known: action, input, timeoutSeconds, correlationId, callbackUrl, deviceId");
            }
        }
        String action = text(object, "action", Command.MAX_ACTION_CHARS);
        if (action == null || action.isEmpty()) {
            throw malformed("action is required");
        }
        JsonNode input = object.get("input");
        if (input != null && input.isNull()) {
            input = null;
        }
        Integer timeout = null;
        JsonNode t = object.get("timeoutSeconds");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToInt() || !t.isIntegralNumber() || t.intValue() < 1) {
                throw malformed("timeoutSeconds is a whole number of seconds, at least 1");
            }
            timeout = t.intValue();
        }
        String correlation = text(object, "correlationId", MAX_CORRELATION_CHARS);
        if (correlation != null && correlation.isEmpty()) {
            throw malformed("correlationId, when given, is not empty");
        }
        String callback = text(object, "callbackUrl", MAX_URL_CHARS);
        if (callback != null) {
            checkCallback(callback);
        }
        String device = text(object, "deviceId", 64);
        return new CommandRequest(device, action, input == null ? null : input.deepCopy(), timeout, correlation, callback);
    }

    public static CommandRequest parse(byte[] body) throws CommandRefused {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw malformed("the body is not JSON");
        }
        if (json == null) {
            throw malformed("the body is empty");
        }
        return parse(json);
    }

    /** The same request addressed to {@code id} (the REST path names the device). */
    public CommandRequest forDevice(String id) {
        return new CommandRequest(id, action, input, timeoutSeconds, correlationId, callbackUrl);
    }

    /** The same request with {@code id} as its correlation id (an intake that has a natural one). */
    public CommandRequest withCorrelationId(String id) {
        return new CommandRequest(deviceId, action, input, timeoutSeconds, id, callbackUrl);
    }

    private static void checkCallback(String url) throws CommandRefused {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw malformed("callbackUrl is not a URL");
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw malformed("callbackUrl is an absolute http or https URL");
        }
    }

    private static String text(ObjectNode object, String name, int max) throws CommandRefused {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw malformed(name + " is a string");
        }
        if (node.textValue().length() > max) {
            throw malformed(name + " is longer than " + max + " characters");
        }
        return node.textValue();
    }

    private static CommandRefused malformed(String message) {
        return new CommandRefused(CommandRefused.Reason.MALFORMED, message);
    }
}
