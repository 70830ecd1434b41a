package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * A W3C WoT Thing Description (TD 1.1 subset, see docs/protocol.md section 8): what a device
 * offers (properties, actions, events) with the data schemas its readings, command inputs and
 * outputs must satisfy. Kept together with its original JSON, so republishing it never loses
 * members the model does not interpret. Immutable; built only by {@link #parse}.
 */
public final class ThingDescription {
    /** The reserved reading name under which a device reports a command's outcome. */
    public static final String COMMAND_RESULT = CommandResultReading.NAME;

    private final ObjectNode json;
    private final String id;
    private final String title;
    private final Optional<String> description;
    private final Map<String, PropertyAffordance> properties;
    private final Map<String, ActionAffordance> actions;
    private final Map<String, EventAffordance> events;

    ThingDescription(
            ObjectNode json,
            String id,
            String title,
            Optional<String> description,
            Map<String, PropertyAffordance> properties,
            Map<String, ActionAffordance> actions,
            Map<String, EventAffordance> events) {
        this.json = json;
        this.id = id;
        this.title = title;
        this.description = description;
        this.properties = Collections.unmodifiableMap(properties);
        this.actions = Collections.unmodifiableMap(actions);
        this.events = Collections.unmodifiableMap(events);
    }

    /** Parses TD JSON (UTF-8); refuses anything but one JSON object, duplicate members included. */
    public static ThingDescription parse(byte[] json) throws ProtocolException {
        return ThingDescriptionParser.parse(Json.parse(json, "thing description"));
    }

    public static ThingDescription parse(String json) throws ProtocolException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses an already-read JSON tree (copied, so later changes to it do not leak in). */
    public static ThingDescription parse(JsonNode json) throws ProtocolException {
        return ThingDescriptionParser.parse(json);
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Optional<String> description() {
        return description;
    }

    /** Properties by name, in document order. */
    public Map<String, PropertyAffordance> properties() {
        return properties;
    }

    public Map<String, ActionAffordance> actions() {
        return actions;
    }

    public Map<String, EventAffordance> events() {
        return events;
    }

    public Optional<PropertyAffordance> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    public Optional<ActionAffordance> action(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public Optional<EventAffordance> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    /** A copy of the original JSON, every member included. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The JSON serialisation of {@link #json()}. */
    public byte[] bytes() {
        return Json.bytes(json);
    }

    /** Checks a value of property {@code name}; reported at pointer {@code /<name>}. */
    public void validatePropertyValue(String name, JsonNode value) throws ProtocolException {
        PropertyAffordance property = properties.get(name);
        if (property == null) {
            throw unknown("property", name);
        }
        property.schema().validate(value, pointer(name));
    }

    /** Checks a command's input; reported at pointer {@code /<action>/input...}. */
    public void validateActionInput(String action, JsonNode input) throws ProtocolException {
        ActionAffordance a = actions.get(action);
        if (a == null) {
            throw unknown("action", action);
        }
        checkOptional(
                a.input(),
                input,
                pointer(action) + "/input",
                "action " + JsonValues.quoteName(action) + " takes no input");
    }

    /** Checks the output an action returned; reported at pointer {@code /<action>/output...}. */
    public void validateActionOutput(String action, JsonNode output) throws ProtocolException {
        ActionAffordance a = actions.get(action);
        if (a == null) {
            throw unknown("action", action);
        }
        checkOptional(
                a.output(),
                output,
                pointer(action) + "/output",
                "action " + JsonValues.quoteName(action) + " has no output");
    }

    /** Checks the data of an event; reported at pointer {@code /<event>/data...}. */
    public void validateEventData(String event, JsonNode data) throws ProtocolException {
        EventAffordance e = events.get(event);
        if (e == null) {
            throw unknown("event", event);
        }
        checkOptional(
                e.data(), data, pointer(event) + "/data", "event " + JsonValues.quoteName(event) + " carries no data");
    }

    /**
     * Checks one reading of a device's feed: {@code name} is a property (checked as its value)
     * or else an event (checked as its data), or the reserved {@value #COMMAND_RESULT}, which
     * is checked for its structure only. A name that is both a property and an event is
     * checked as the property.
     */
    public void validateReading(String name, JsonNode value) throws ProtocolException {
        if (COMMAND_RESULT.equals(name)) {
            CommandResultReading.validate(value);
        } else if (properties.containsKey(name)) {
            validatePropertyValue(name, value);
        } else if (events.containsKey(name)) {
            validateEventData(name, value);
        } else {
            throw unknown("property or event", name);
        }
    }

    private static void checkOptional(Optional<DataSchema> schema, JsonNode value, String pointer, String none)
            throws ProtocolException {
        if (schema.isPresent()) {
            schema.get().validate(value, pointer);
        } else if (value != null && !value.isNull() && !value.isMissingNode()) {
            throw SchemaValidator.violation(pointer, none + ", got " + JsonValues.describe(value));
        }
    }

    private static String pointer(String name) {
        return JsonValues.child("", name);
    }

    private static ProtocolException unknown(String kind, String name) {
        return new ProtocolException(
                ErrorCode.SCHEMA_VIOLATION,
                "no " + kind + " " + JsonValues.quoteName(name) + " in the Thing Description");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThingDescription other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "ThingDescription[" + id + ", " + title + "]";
    }
}
