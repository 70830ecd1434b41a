package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.StrictObject;

import java.util.Set;

/**
 * A device's answer to a command, published in its feed as the value of a reading named
 * {@value #READING_NAME}: {@code {"id","status","output"?}} for {@code ok} (output absent when
 * the action has none) or {@code {"id","status","error"}} for {@code error} (the action ran and
 * failed) and {@code rejected} (not run: expired, duplicate id, unknown action, invalid input,
 * unauthorised signer). An {@code error} text is 1 to {@value #MAX_ERROR_CHARS} characters;
 * for {@code rejected} it should start with the protocol error code (e.g. {@code expired}).
 */
public record CommandResult(String id, Status status, JsonNode output, String error) {
    public static final String READING_NAME = "$command-result";
    public static final int MAX_ERROR_CHARS = 1024;
    private static final Set<String> MEMBERS = Set.of("id", "status", "output", "error");

    public enum Status {
        OK("ok"),
        ERROR("error"),
        REJECTED("rejected");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Status fromWire(String wire) throws ProtocolException {
            for (Status status : values()) {
                if (status.wire.equals(wire)) {
                    return status;
                }
            }
            throw new ProtocolException(ErrorCode.MALFORMED, "command result status must be ok, error or rejected");
        }
    }

    public CommandResult {
        try {
            check(id, status, output, error);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        output = output == null ? null : output.deepCopy();
    }

    public static CommandResult ok(String id, JsonNode output) {
        return new CommandResult(id, Status.OK, output, null);
    }

    public static CommandResult error(String id, String error) {
        return new CommandResult(id, Status.ERROR, null, error);
    }

    public static CommandResult rejected(String id, String error) {
        return new CommandResult(id, Status.REJECTED, null, error);
    }

    @Override
    public JsonNode output() {
        return output == null ? null : output.deepCopy();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("status", status.wire());
        if (output != null) {
            json.set("output", output.deepCopy());
        }
        if (error != null) {
            json.put("error", error);
        }
        return json;
    }

    /** The reading that carries this result in the device's feed. */
    public Reading toReading(long ts) {
        return new Reading(READING_NAME, ts, toJson());
    }

    public static CommandResult fromReading(Reading reading) throws ProtocolException {
        if (!READING_NAME.equals(reading.name())) {
            throw new ProtocolException(ErrorCode.MALFORMED, "a command result is a reading named " + READING_NAME);
        }
        return fromJson(reading.value());
    }

    public static CommandResult fromJson(JsonNode json) throws ProtocolException {
        StrictObject o = StrictObject.read(json, "command result", MEMBERS);
        String id = o.text("id");
        Status status = Status.fromWire(o.text("status"));
        JsonNode output = o.optional("output");
        String error = o.has("error") ? o.text("error") : null;
        check(id, status, output, error);
        return new CommandResult(id, status, output, error);
    }

    private static void check(String id, Status status, JsonNode output, String error) throws ProtocolException {
        Texts.check(id, "command result id", Command.MAX_ID_CHARS);
        if (status == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, "command result has no status");
        }
        if (status == Status.OK) {
            if (error != null) {
                throw new ProtocolException(ErrorCode.MALFORMED, "an ok command result carries no error");
            }
        } else {
            if (output != null) {
                throw new ProtocolException(ErrorCode.MALFORMED, "a failed command result carries no output");
            }
            Texts.check(error, "command result error", MAX_ERROR_CHARS);
        }
    }
}
