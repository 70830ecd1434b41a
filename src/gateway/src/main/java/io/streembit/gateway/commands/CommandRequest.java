package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.record.StrictObject;

import java.net.URI;
import java.util.Iterator;
import java.util.Set;

/**
 * What a portal asks: {@code {"action","input"?,"timeoutSeconds"?,"correlationId"?,"callbackUrl"?}}
 * (schemas/command-request.schema.json), plus {@code deviceId} where the intake has no other
 * place for it (a Kafka record). Parsed strictly: an unknown member is refused, not ignored, so
 * a misspelt {@code "callbackURL"} does not silently lose the result.
 */
public record CommandRequest(
        String deviceId,
        String action,
        JsonNode input,
        Integer timeoutSeconds,
        String correlationId,
        String callbackUrl) {
    public static final int MAX_CORRELATION_CHARS = 128;
    public static final int MAX_URL_CHARS = 2048;
    private static final java.util.regex.Pattern DEVICE_ID = java.util.regex.Pattern.compile("[0-9a-f]{40}");
    private static final Set<String> MEMBERS =
            Set.of("deviceId", "action", "input", "timeoutSeconds", "correlationId", "callbackUrl");

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
            // 60, 60.0 and 6e1 alike, as JSON Schema's "integer" has it
            java.math.BigDecimal value = t.isNumber() ? t.decimalValue() : null;
            if (value == null
                    || value.signum() <= 0
                    || value.stripTrailingZeros().scale() > 0
                    || value.compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw malformed("timeoutSeconds is a whole number of seconds, at least 1");
            }
            timeout = value.intValueExact();
        }
        String correlation = text(object, "correlationId", MAX_CORRELATION_CHARS);
        if (correlation != null && correlation.isEmpty()) {
            throw malformed("correlationId, when given, is not empty");
        }
        String callback = text(object, "callbackUrl", MAX_URL_CHARS);
        if (callback != null) {
            checkCallback(callback);
        }
        String device = text(object, "deviceId", 40);
        if (device != null && !DEVICE_ID.matcher(device).matches()) {
            throw malformed("deviceId is a device account: 40 lowercase hex characters");
        }
        return new CommandRequest(
                device, action, input == null ? null : input.deepCopy(), timeout, correlation, callback);
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
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) > 0x7e || url.charAt(i) <= 0x20) {
                // RFC 3986: non-ASCII characters and spaces are percent-encoded in a URI
                throw malformed("callbackUrl is not a URI (percent-encode non-ASCII characters and spaces)");
            }
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw malformed("callbackUrl is not a URL");
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute()
                || uri.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
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
        String text = node.textValue();
        try {
            StrictObject.wellFormed(text, name);
        } catch (ProtocolException e) {
            throw malformed(e.getMessage());
        }
        // characters (code points), as JSON Schema counts them
        if (text.codePointCount(0, text.length()) > max) {
            throw malformed(name + " is longer than " + max + " characters");
        }
        return text;
    }

    private static CommandRefused malformed(String message) {
        return new CommandRefused(CommandRefused.Reason.MALFORMED, message);
    }
}
