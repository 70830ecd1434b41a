package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the JSON of a Thing Description into the model, checking every member the model
 * interprets and reporting the first problem as {@code MALFORMED} with the JSON pointer of
 * the offending member. Members outside the supported subset (links, version, semantic
 * annotations, extension terms...) are left alone: they stay in the original JSON.
 */
final class ThingDescriptionParser {
    static final String TD_11_CONTEXT = "https://www.w3.org/2022/wot/td/v1.1";
    static final String TD_10_CONTEXT = "https://www.w3.org/2019/wot/td/v1";
    /** Deeper schemas are refused: no device needs them, and recursion must stay bounded. */
    static final int MAX_SCHEMA_DEPTH = 32;

    static final int MAX_PATTERN_LENGTH = 512;

    private static final Pattern ABSOLUTE_URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+");

    private ThingDescriptionParser() {}

    static ThingDescription parse(JsonNode json) throws ProtocolException {
        if (json == null || !json.isObject()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "thing description is not a JSON object");
        }
        ObjectNode root = (ObjectNode) json;
        checkContext(root.get("@context"));
        String id = requiredText(root, "", "id");
        if (!ABSOLUTE_URI.matcher(id).matches()) {
            throw malformed("/id", "must be an absolute URI (scheme:...), got " + JsonValues.describe(root.get("id")));
        }
        String title = requiredText(root, "", "title");
        if (title.isEmpty()) {
            throw malformed("/title", "must not be empty");
        }
        Optional<String> description = optionalText(root, "", "description");
        checkSecurity(root);
        checkForms(root, "");

        Map<String, PropertyAffordance> properties = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectNode> e : affordances(root, "properties").entrySet()) {
            String ptr = JsonValues.child("/properties", e.getKey());
            ObjectNode node = e.getValue();
            checkForms(node, ptr);
            properties.put(
                    e.getKey(),
                    new PropertyAffordance(
                            e.getKey(),
                            optionalText(node, ptr, "title"),
                            optionalText(node, ptr, "description"),
                            schema(node, ptr, 0),
                            bool(node, ptr, "observable")));
        }
        Map<String, ActionAffordance> actions = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectNode> e : affordances(root, "actions").entrySet()) {
            String ptr = JsonValues.child("/actions", e.getKey());
            ObjectNode node = e.getValue();
            checkForms(node, ptr);
            actions.put(
                    e.getKey(),
                    new ActionAffordance(
                            e.getKey(),
                            optionalText(node, ptr, "title"),
                            optionalText(node, ptr, "description"),
                            optionalSchema(node, ptr, "input"),
                            optionalSchema(node, ptr, "output"),
                            bool(node, ptr, "safe"),
                            bool(node, ptr, "idempotent")));
        }
        Map<String, EventAffordance> events = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectNode> e : affordances(root, "events").entrySet()) {
            String ptr = JsonValues.child("/events", e.getKey());
            ObjectNode node = e.getValue();
            checkForms(node, ptr);
            events.put(
                    e.getKey(),
                    new EventAffordance(
                            e.getKey(),
                            optionalText(node, ptr, "title"),
                            optionalText(node, ptr, "description"),
                            optionalSchema(node, ptr, "data")));
        }
        return new ThingDescription(root.deepCopy(), id, title, description, properties, actions, events);
    }

    private static void checkContext(JsonNode context) throws ProtocolException {
        if (context == null) {
            throw malformed("", "missing required member '@context'");
        }
        String expected =
                "must be \"" + TD_11_CONTEXT + "\" (or \"" + TD_10_CONTEXT + "\"), or an array that starts with it";
        if (context.isTextual()) {
            if (!isTdContext(context)) {
                throw malformed("/@context", expected);
            }
            return;
        }
        if (!context.isArray() || context.isEmpty() || !isTdContext(context.get(0))) {
            throw malformed("/@context", expected);
        }
        for (int i = 1; i < context.size(); i++) {
            JsonNode entry = context.get(i);
            boolean ok = entry.isTextual();
            if (entry.isObject()) {
                ok = true;
                for (JsonNode v : entry) {
                    ok &= v.isTextual();
                }
            }
            if (!ok) {
                throw malformed("/@context/" + i, "must be a URI string or an object of prefix to URI strings");
            }
        }
    }

    private static boolean isTdContext(JsonNode node) {
        return node.isTextual() && (TD_11_CONTEXT.equals(node.textValue()) || TD_10_CONTEXT.equals(node.textValue()));
    }

    private static void checkSecurity(ObjectNode root) throws ProtocolException {
        JsonNode security = root.get("security");
        if (security != null) {
            boolean ok = security.isTextual();
            if (security.isArray() && !security.isEmpty()) {
                ok = true;
                for (JsonNode s : security) {
                    ok &= s.isTextual();
                }
            }
            if (!ok) {
                throw malformed("/security", "must be a string or a non-empty array of strings");
            }
        }
        JsonNode definitions = root.get("securityDefinitions");
        if (definitions != null) {
            if (!definitions.isObject() || definitions.isEmpty()) {
                throw malformed("/securityDefinitions", "must be a non-empty object of security schemes");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String ptr = JsonValues.child("/securityDefinitions", e.getKey());
                if (!e.getValue().isObject()) {
                    throw malformed(ptr, "must be a security scheme object");
                }
                JsonNode scheme = e.getValue().get("scheme");
                if (scheme == null || !scheme.isTextual()) {
                    throw malformed(ptr, "must have a string member 'scheme'");
                }
            }
        }
    }

    private static void checkForms(ObjectNode node, String ptr) throws ProtocolException {
        JsonNode forms = node.get("forms");
        if (forms == null) {
            return;
        }
        if (!forms.isArray() || forms.isEmpty()) {
            throw malformed(ptr + "/forms", "must be a non-empty array of forms");
        }
        for (int i = 0; i < forms.size(); i++) {
            JsonNode form = forms.get(i);
            JsonNode href = form.isObject() ? form.get("href") : null;
            if (href == null || !href.isTextual()) {
                throw malformed(ptr + "/forms/" + i, "must be a form object with a string member 'href'");
            }
        }
    }

    /** The members of properties / actions / events, each checked to be a named object. */
    private static Map<String, ObjectNode> affordances(ObjectNode root, String member) throws ProtocolException {
        JsonNode node = root.get(member);
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            throw malformed("/" + member, "must be an object of name to affordance");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String ptr = JsonValues.child("/" + member, e.getKey());
            if (e.getKey().isEmpty()) {
                throw malformed(ptr, "affordance names must not be empty");
            }
            if (e.getKey().startsWith("$")) {
                // Reserved for protocol readings such as $command-result.
                throw malformed(ptr, "names starting with '$' are reserved");
            }
            if (!e.getValue().isObject()) {
                throw malformed(ptr, "must be an object");
            }
            out.put(e.getKey(), (ObjectNode) e.getValue());
        }
        return out;
    }

    private static Optional<DataSchema> optionalSchema(ObjectNode parent, String ptr, String member)
            throws ProtocolException {
        JsonNode node = parent.get(member);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw malformed(ptr + "/" + member, "must be a data schema object");
        }
        return Optional.of(schema((ObjectNode) node, ptr + "/" + member, 1));
    }

    static DataSchema schema(ObjectNode node, String ptr, int depth) throws ProtocolException {
        if (depth > MAX_SCHEMA_DEPTH) {
            throw malformed(ptr, "data schemas nested deeper than " + MAX_SCHEMA_DEPTH + " levels are not supported");
        }
        DataSchema.Builder b = new DataSchema.Builder();
        JsonNode type = node.get("type");
        if (type != null) {
            b.type = type.isTextual() ? JsonType.fromWire(type.textValue()) : null;
            if (b.type == null) {
                throw malformed(
                        ptr + "/type",
                        "must be one of boolean, integer, number, string, object, array, null; got "
                                + JsonValues.describe(type));
            }
        }
        JsonNode constValue = node.get("const");
        if (constValue != null) {
            b.constValue = constValue.deepCopy();
        }
        JsonNode enumNode = node.get("enum");
        if (enumNode != null) {
            if (!enumNode.isArray() || enumNode.isEmpty()) {
                throw malformed(ptr + "/enum", "must be a non-empty array");
            }
            List<JsonNode> values = new ArrayList<>();
            for (JsonNode v : enumNode) {
                for (JsonNode seen : values) {
                    if (JsonValues.equal(seen, v)) {
                        throw malformed(ptr + "/enum", "has the value " + JsonValues.describe(v) + " twice");
                    }
                }
                values.add(v.deepCopy());
            }
            b.enumValues = values;
        }
        b.minimum = number(node, ptr, "minimum");
        b.maximum = number(node, ptr, "maximum");
        b.exclusiveMinimum = number(node, ptr, "exclusiveMinimum");
        b.exclusiveMaximum = number(node, ptr, "exclusiveMaximum");
        b.multipleOf = number(node, ptr, "multipleOf");
        if (b.multipleOf != null && b.multipleOf.signum() <= 0) {
            throw malformed(ptr + "/multipleOf", "must be a number greater than 0");
        }
        b.minLength = count(node, ptr, "minLength");
        b.maxLength = count(node, ptr, "maxLength");
        b.minItems = count(node, ptr, "minItems");
        b.maxItems = count(node, ptr, "maxItems");
        JsonNode pattern = node.get("pattern");
        if (pattern != null) {
            if (!pattern.isTextual() || pattern.textValue().length() > MAX_PATTERN_LENGTH) {
                throw malformed(
                        ptr + "/pattern",
                        "must be a regular expression of at most " + MAX_PATTERN_LENGTH + " characters");
            }
            try {
                b.pattern = Pattern.compile(pattern.textValue());
            } catch (PatternSyntaxException e) {
                throw malformed(ptr + "/pattern", "is not a valid regular expression");
            }
        }
        b.format = optionalText(node, ptr, "format").orElse(null);
        JsonNode items = node.get("items");
        if (items != null) {
            if (items.isArray()) {
                throw malformed(ptr + "/items", "the tuple form (an array of schemas) is not supported");
            }
            if (!items.isObject()) {
                throw malformed(ptr + "/items", "must be a data schema object");
            }
            b.items = schema((ObjectNode) items, ptr + "/items", depth + 1);
        }
        JsonNode properties = node.get("properties");
        if (properties != null) {
            if (!properties.isObject()) {
                throw malformed(ptr + "/properties", "must be an object of name to data schema");
            }
            Map<String, DataSchema> members = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String memberPtr = JsonValues.child(ptr + "/properties", e.getKey());
                if (!e.getValue().isObject()) {
                    throw malformed(memberPtr, "must be a data schema object");
                }
                members.put(e.getKey(), schema((ObjectNode) e.getValue(), memberPtr, depth + 1));
            }
            b.properties = members;
        }
        JsonNode required = node.get("required");
        if (required != null) {
            if (!required.isArray()) {
                throw malformed(ptr + "/required", "must be an array of member names");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < required.size(); i++) {
                if (!required.get(i).isTextual()) {
                    throw malformed(ptr + "/required/" + i, "must be a string");
                }
                names.add(required.get(i).textValue());
            }
            b.required = names;
        }
        JsonNode oneOf = node.get("oneOf");
        if (oneOf != null) {
            if (!oneOf.isArray() || oneOf.isEmpty()) {
                throw malformed(ptr + "/oneOf", "must be a non-empty array of data schemas");
            }
            List<DataSchema> alternatives = new ArrayList<>();
            for (int i = 0; i < oneOf.size(); i++) {
                if (!oneOf.get(i).isObject()) {
                    throw malformed(ptr + "/oneOf/" + i, "must be a data schema object");
                }
                alternatives.add(schema((ObjectNode) oneOf.get(i), ptr + "/oneOf/" + i, depth + 1));
            }
            b.oneOf = alternatives;
        }
        b.unit = optionalText(node, ptr, "unit").orElse(null);
        b.readOnly = bool(node, ptr, "readOnly");
        b.writeOnly = bool(node, ptr, "writeOnly");
        optionalText(node, ptr, "title");
        optionalText(node, ptr, "description");
        return b.build();
    }

    private static BigDecimal number(ObjectNode node, String ptr, String member) throws ProtocolException {
        JsonNode v = node.get(member);
        if (v == null) {
            return null;
        }
        BigDecimal d = JsonValues.decimal(v);
        if (d == null) {
            throw malformed(ptr + "/" + member, "must be a number");
        }
        return d;
    }

    private static Integer count(ObjectNode node, String ptr, String member) throws ProtocolException {
        JsonNode v = node.get(member);
        if (v == null) {
            return null;
        }
        BigDecimal d = JsonValues.isInteger(v) ? JsonValues.decimal(v) : null;
        if (d == null || d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw malformed(ptr + "/" + member, "must be an integer from 0 to " + Integer.MAX_VALUE);
        }
        return d.intValueExact();
    }

    private static boolean bool(ObjectNode node, String ptr, String member) throws ProtocolException {
        JsonNode v = node.get(member);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw malformed(ptr + "/" + member, "must be true or false");
        }
        return v.booleanValue();
    }

    private static String requiredText(ObjectNode node, String ptr, String member) throws ProtocolException {
        JsonNode v = node.get(member);
        if (v == null) {
            throw malformed(ptr, "missing required member '" + member + "'");
        }
        if (!v.isTextual()) {
            throw malformed(ptr + "/" + member, "must be a string");
        }
        return v.textValue();
    }

    private static Optional<String> optionalText(ObjectNode node, String ptr, String member) throws ProtocolException {
        JsonNode v = node.get(member);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw malformed(ptr + "/" + member, "must be a string");
        }
        return Optional.of(v.textValue());
    }

    private static ProtocolException malformed(String ptr, String problem) {
        String where = ptr.isEmpty() ? "thing description: " : "thing description " + ptr + ": ";
        return new ProtocolException(ErrorCode.MALFORMED, where + problem);
    }
}
