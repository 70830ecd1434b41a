package io.streembit.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;

import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of a command that leave the gateway: the view the API answers
 * (schemas/command-view.schema.json) and the result message sent to callbacks and the results
 * topic (schemas/command-result-message.schema.json). Absent values are left out, not null.
 */
public final class CommandJson {
    private CommandJson() {}

    /** {@code GET /api/commands/{id}} and the intake's answer; {@code events} may be null (lists leave them out). */
    public static ObjectNode view(StoredCommand c, List<CommandEvent> events) {
        ObjectNode json = Json.object();
        json.put("id", c.id());
        json.put("deviceId", c.deviceId());
        json.put("action", c.action());
        put(json, "input", c.input());
        json.put("status", c.status().name());
        json.put("seq", c.seq());
        put(json, "correlationId", c.correlationId());
        put(json, "callbackUrl", c.callbackUrl());
        json.put("caller", c.caller());
        json.put("source", c.source());
        json.put("payloadHash", c.payloadHash());
        put(json, "createdAt", c.createdAt());
        put(json, "expiresAt", c.expiresAt());
        put(json, "publishedAt", c.publishedAt());
        put(json, "finishedAt", c.finishedAt());
        put(json, "output", c.output());
        put(json, "error", c.error());
        put(json, "dispatchedAt", c.dispatchedAt());
        if (events != null) {
            ArrayNode list = json.putArray("events");
            for (CommandEvent e : events) {
                ObjectNode event = list.addObject();
                event.put("status", e.status());
                put(event, "detail", e.detail());
                put(event, "at", e.at());
            }
        }
        return json;
    }

    /** What a callback and the results topic receive once the command is closed. */
    public static ObjectNode result(StoredCommand c) {
        ObjectNode json = Json.object();
        json.put("commandId", c.id());
        json.put("deviceId", c.deviceId());
        json.put("action", c.action());
        json.put("status", c.status().name());
        put(json, "output", c.output());
        put(json, "error", c.error());
        put(json, "correlationId", c.correlationId());
        json.put("caller", c.caller());
        put(json, "createdAt", c.createdAt());
        put(json, "finishedAt", c.finishedAt());
        return json;
    }

    private static void put(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    private static void put(ObjectNode json, String name, Instant value) {
        if (value != null) {
            json.put(name, value.toString());
        }
    }

    private static void put(ObjectNode json, String name, JsonNode value) {
        if (value != null) {
            json.set(name, value.deepCopy());
        }
    }
}
