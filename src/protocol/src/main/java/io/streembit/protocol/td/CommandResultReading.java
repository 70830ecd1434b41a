package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ProtocolException;

import java.util.Iterator;
import java.util.Set;

/**
 * The structure of the reserved reading {@code $command-result}, which a device publishes in
 * its feed after executing (or refusing) a command:
 * {@code {"id": string, "status": "ok"|"error"|"rejected", "output"?: any, "error"?: string}}.
 * "ok" may carry an output and never an error; "error" and "rejected" carry an error message
 * and never an output. The output is checked against the action's schema by whoever knows which
 * action the command id stands for; here only the structure is known.
 */
final class CommandResultReading {
    static final String NAME = "$command-result";
    private static final String POINTER = "/" + NAME;
    private static final Set<String> MEMBERS = Set.of("id", "status", "output", "error");
    private static final Set<String> STATUSES = Set.of("ok", "error", "rejected");

    private CommandResultReading() {
    }

    static void validate(JsonNode value) throws ProtocolException {
        if (value == null || !value.isObject()) {
            throw SchemaValidator.violation(POINTER, describe(value) + " is not of type object");
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw SchemaValidator.violation(POINTER, "unexpected member " + JsonValues.quoteName(name));
            }
        }
        JsonNode id = value.get("id");
        if (id == null) {
            throw SchemaValidator.violation(POINTER, "missing required member 'id'");
        }
        if (!id.isTextual() || id.textValue().isEmpty()) {
            throw SchemaValidator.violation(POINTER + "/id", describe(id) + " is not a non-empty string");
        }
        JsonNode status = value.get("status");
        if (status == null) {
            throw SchemaValidator.violation(POINTER, "missing required member 'status'");
        }
        if (!status.isTextual() || !STATUSES.contains(status.textValue())) {
            throw SchemaValidator.violation(POINTER + "/status",
                    describe(status) + " is not one of [\"ok\", \"error\", \"rejected\"]");
        }
        JsonNode error = value.get("error");
        if ("ok".equals(status.textValue())) {
            if (error != null) {
                throw SchemaValidator.violation(POINTER, "a result with status \"ok\" has no 'error'");
            }
            return;
        }
        if (value.has("output")) {
            throw SchemaValidator.violation(POINTER, "a result with status " + describe(status) + " has no 'output'");
        }
        if (error == null) {
            throw SchemaValidator.violation(POINTER, "missing required member 'error'");
        }
        if (!error.isTextual()) {
            throw SchemaValidator.violation(POINTER + "/error", describe(error) + " is not of type string");
        }
    }

    private static String describe(JsonNode value) {
        return value == null ? "null" : JsonValues.describe(value);
    }
}
