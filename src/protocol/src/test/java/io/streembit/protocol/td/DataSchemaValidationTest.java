package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

import static io.streembit.protocol.td.ExampleThingsTest.assertViolation;
import static io.streembit.protocol.td.ExampleThingsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written validator, keyword by keyword, and against an independent JSON Schema validator. */
class DataSchemaValidationTest {
    /** A Thing Description with one property {@code p} of the given data schema. */
    static ThingDescription withProperty(String schema) throws ProtocolException {
        return withProperty("p", schema);
    }

    static ThingDescription withProperty(String name, String schema) throws ProtocolException {
        ObjectNode td = Json.object();
        td.put("@context", "https://www.w3.org/2022/wot/td/v1.1");
        td.put("id", "urn:test:thing");
        td.put("title", "Test");
        td.putObject("properties").set(name, json(schema));
        return ThingDescription.parse(td);
    }

    static void ok(String schema, String value) throws ProtocolException {
        ThingDescription td = withProperty(schema);
        assertThatCode(() -> td.validatePropertyValue("p", json(value)))
                .as("%s against %s", value, schema)
                .doesNotThrowAnyException();
    }

    static void bad(String schema, String value, String message) throws ProtocolException {
        ThingDescription td = withProperty(schema);
        assertViolation(() -> td.validatePropertyValue("p", json(value)), message);
    }

    @Test
    void type() throws Exception {
        ok("{\"type\":\"boolean\"}", "false");
        bad("{\"type\":\"boolean\"}", "0", "/p: 0 is not of type boolean");
        ok("{\"type\":\"integer\"}", "-7");
        ok("{\"type\":\"integer\"}", "2.0");
        ok("{\"type\":\"integer\"}", "1e2");
        bad("{\"type\":\"integer\"}", "2.5", "/p: 2.5 is not of type integer");
        ok("{\"type\":\"number\"}", "3");
        bad("{\"type\":\"number\"}", "\"3\"", "/p: \"3\" is not of type number");
        ok("{\"type\":\"string\"}", "\"\"");
        bad("{\"type\":\"string\"}", "null", "/p: null is not of type string");
        ok("{\"type\":\"object\"}", "{}");
        bad("{\"type\":\"object\"}", "[]", "/p: [] is not of type object");
        ok("{\"type\":\"array\"}", "[1,\"a\"]");
        bad("{\"type\":\"array\"}", "{}", "/p: {} is not of type array");
        ok("{\"type\":\"null\"}", "null");
        bad("{\"type\":\"null\"}", "false", "/p: false is not of type null");
        ok("{}", "{\"anything\":[1,2]}");
    }

    @Test
    void constAndEnumCompareJsonValues() throws Exception {
        ok("{\"const\":5}", "5.0");
        ok("{\"const\":{\"a\":[1,2]}}", "{\"a\":[1.0,2]}");
        bad("{\"const\":5}", "6", "/p: 6 is not the constant 5");
        bad("{\"const\":null}", "0", "/p: 0 is not the constant null");
        ok("{\"enum\":[\"off\",\"heat\",\"eco\"]}", "\"eco\"");
        bad("{\"enum\":[\"off\",\"heat\"]}", "\"cool\"", "/p: \"cool\" is not one of [\"off\", \"heat\"]");
        bad("{\"enum\":[[1,2]]}", "[2,1]", "/p: [2,1] is not one of [[1,2]]");
    }

    @Test
    void numericBounds() throws Exception {
        String range = "{\"type\":\"number\",\"minimum\":5,\"maximum\":30}";
        ok(range, "5");
        ok(range, "30.0");
        bad(range, "4.99", "/p: 4.99 is below minimum 5");
        bad(range, "45", "/p: 45 is above maximum 30");
        String exclusive = "{\"exclusiveMinimum\":0,\"exclusiveMaximum\":1}";
        ok(exclusive, "0.5");
        bad(exclusive, "0", "/p: 0 is not above exclusiveMinimum 0");
        bad(exclusive, "1.0", "/p: 1 is not below exclusiveMaximum 1");
        // Decimal, not binary floating point: 0.3 is a multiple of 0.1.
        ok("{\"multipleOf\":0.1}", "0.3");
        ok("{\"multipleOf\":0.5}", "-2.5");
        bad("{\"multipleOf\":0.5}", "21.3", "/p: 21.3 is not a multiple of 0.5");
        bad("{\"multipleOf\":3}", "10", "/p: 10 is not a multiple of 3");
        // Numeric keywords say nothing about other types.
        ok("{\"minimum\":5}", "\"not a number\"");
    }

    @Test
    @Timeout(5)
    void multipleOfOnAHugeNumberIsRefusedNotComputed() throws Exception {
        bad(
                "{\"multipleOf\":0.5}",
                "1e1000000000",
                "/p: 1E+1000000000 is too large or too precise to check multipleOf 0.5");
        ok("{\"maximum\":1e1000000000}", "1e999999999");
        bad("{\"maximum\":30}", "1e999999999", "/p: 1E+999999999 is above maximum 30");
    }

    @Test
    void strings() throws Exception {
        String len = "{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}";
        ok(len, "\"ab\"");
        bad(len, "\"a\"", "/p: string of 1 characters is shorter than minLength 2");
        bad(len, "\"abcd\"", "/p: string of 4 characters is longer than maxLength 3");
        // Length counts characters (code points), not UTF-16 units.
        ok(len, "\"\uD83D\uDE00\uD83D\uDE00\"");
        ok("{\"pattern\":\"b\"}", "\"abc\"");
        ok("{\"pattern\":\"^[0-9]+$\"}", "\"123\"");
        bad("{\"pattern\":\"^[0-9]+$\"}", "\"12a\"", "/p: \"12a\" does not match pattern ^[0-9]+$");
        ok("{\"pattern\":\"^[0-9]+$\"}", "12");
    }

    @Test
    @Timeout(10)
    void aCatastrophicPatternIsStoppedByItsBudget() throws Exception {
        // Without the budget this takes about ten seconds on JDK 17 (and doubles per extra 'a').
        String value = "\"" + "a".repeat(28) + "!\"";
        bad(
                "{\"pattern\":\"^(.*a){20}$\"}",
                value,
                "/p: pattern ^(.*a){20}$ exceeded its evaluation budget on this value");
        ok("{\"pattern\":\"^(.*a){2}!$\"}", value);
    }

    @Test
    void formatsAgreeWithTheIndependentValidator() throws Exception {
        String[][] cases = {
            {"date-time", "2026-11-25T08:15:00Z", "2026-11-25t08:15:00.123+05:30", "1998-12-31T23:59:60Z"},
            {
                "date-time",
                "!2026-11-25 08:15:00Z",
                "!2026-02-30T08:15:00Z",
                "!2026-11-25T24:00:00Z",
                "!2026-11-25T08:15:00",
                "!1998-12-31T22:59:60Z"
            },
            {"date", "2024-02-29", "!2023-02-29", "!2024-2-29", "!20240229"},
            {"time", "08:15:00Z", "23:59:59.5-01:00", "!08:15Z", "!25:00:00Z", "!08:15:00"},
            {
                "uuid",
                "123e4567-e89b-12d3-a456-426614174000",
                "!123e4567e89b12d3a456426614174000",
                "!123e4567-e89b-12d3-a456-42661417400g"
            },
            {"ipv4", "192.0.2.10", "0.0.0.0", "!256.1.1.1", "!01.2.3.4", "!1.2.3", "!1.2.3.4.5"},
            {
                "ipv6",
                "::1",
                "2001:db8::8a2e:370:7334",
                "::ffff:192.0.2.1",
                "1:2:3:4:5:6:7:8",
                "!1:2:3:4:5:6:7:8:9",
                "!2001:db8:::1",
                "!12345::",
                "!1::2::3",
                "!:1:2:3:4:5:6:7"
            },
            {"hostname", "gateway.example.com", "a-b.c", "!-ab.com", "!a_b.com", "!ab-.com"},
            {
                "email",
                "ops@example.com",
                "first.last+tag@sub.example.org",
                "!ops@",
                "!@example.com",
                "!a..b@example.com",
                "!ops example@example.com"
            },
            {"uri", "https://example.com/a?b#c", "urn:streembit:device", "!/relative/path", "!not a uri"},
            {"made-up-format", "anything at all"},
        };
        for (String[] c : cases) {
            String schema = "{\"type\":\"string\",\"format\":\"" + c[0] + "\"}";
            ThingDescription td = withProperty(schema);
            for (int i = 1; i < c.length; i++) {
                boolean expectValid = !c[i].startsWith("!");
                String value = expectValid ? c[i] : c[i].substring(1);
                String valueJson = Json.text(JsonNodeFactory.instance.textNode(value));
                boolean ours = accepts(td, "p", json(valueJson));
                boolean theirs =
                        JsonSchemas.errorsAgainstDataSchema(schema, valueJson).isEmpty();
                assertThat(ours).as("%s %s (ours)", c[0], value).isEqualTo(expectValid);
                assertThat(theirs).as("%s %s (networknt)", c[0], value).isEqualTo(expectValid);
            }
        }
        bad("{\"format\":\"ipv4\"}", "\"300.1.1.1\"", "/p: \"300.1.1.1\" is not a valid ipv4");
    }

    @Test
    void arraysAndItemPaths() throws Exception {
        String list =
                "{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,\"items\":{\"type\":\"integer\",\"minimum\":0}}";
        ok(list, "[0,1,2]");
        bad(list, "[]", "/p: array of 0 items is shorter than minItems 1");
        bad(list, "[1,2,3,4]", "/p: array of 4 items is longer than maxItems 3");
        bad(list, "[1,-2]", "/p/1: -2 is below minimum 0");
        bad(list, "[1,\"2\"]", "/p/1: \"2\" is not of type integer");
    }

    @Test
    void nestedObjectsAndPaths() throws Exception {
        String schedule = "{\"type\":\"object\",\"required\":[\"days\"],\"properties\":{"
                + "\"days\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"from\"],\"properties\":{"
                + "\"from\":{\"type\":\"string\",\"format\":\"time\"},"
                + "\"setpoint\":{\"type\":\"number\",\"minimum\":5,\"maximum\":30}}}}}}";
        ok(schedule, "{\"days\":[{\"from\":\"06:00:00Z\",\"setpoint\":21}],\"extra\":true}");
        bad(schedule, "{}", "/p: missing required member 'days'");
        bad(
                schedule,
                "{\"days\":[{\"from\":\"06:00:00Z\"},{\"from\":\"07:00:00Z\",\"setpoint\":31}]}",
                "/p/days/1/setpoint: 31 is above maximum 30");
        bad(schedule, "{\"days\":[{\"setpoint\":21}]}", "/p/days/0: missing required member 'from'");
        // JSON pointer escaping (RFC 6901) of member names with '/' and '~'.
        ThingDescription td = withProperty("a/b~c", "{\"properties\":{\"x/y\":{\"type\":\"string\"}}}");
        assertViolation(
                () -> td.validatePropertyValue("a/b~c", json("{\"x/y\":1}")), "/a~1b~0c/x~1y: 1 is not of type string");
    }

    @Test
    void oneOf() throws Exception {
        String either = "{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\",\"maxLength\":2}]}";
        ok(either, "3");
        ok(either, "\"ab\"");
        bad(either, "\"abc\"", "/p: \"abc\" matches none of the 2 oneOf alternatives");
        bad(
                "{\"oneOf\":[{\"type\":\"number\"},{\"minimum\":0}]}",
                "4",
                "/p: 4 matches 2 oneOf alternatives, exactly one is required");
    }

    @Test
    void commandResultReadingsAreCheckedForStructure() throws Exception {
        ThingDescription td = withProperty("{\"type\":\"number\"}");
        String r = "$command-result";
        assertThatCode(() -> td.validateReading(r, json("{\"id\":\"c1\",\"status\":\"ok\",\"output\":{\"x\":1}}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> td.validateReading(r, json("{\"id\":\"c1\",\"status\":\"error\",\"error\":\"jammed\"}")))
                .doesNotThrowAnyException();
        // the structure is CommandResult's own: each fault it finds is a schema violation here
        String[][] bad = {
            {"[]", "not a JSON object"},
            {"{\"status\":\"ok\"}", "'id'"},
            {"{\"id\":7,\"status\":\"ok\"}", "'id'"},
            {"{\"id\":\"c1\",\"status\":\"done\"}", "ok, error or rejected"},
            {"{\"id\":\"c1\",\"status\":\"ok\",\"error\":\"x\"}", "an ok command result carries no error"},
            {"{\"id\":\"c1\",\"status\":\"rejected\"}", "error"},
            {"{\"id\":\"c1\",\"status\":\"error\",\"error\":\"x\",\"output\":1}", "carries no output"},
            {"{\"id\":\"c1\",\"status\":\"ok\",\"ts\":1}", "'ts'"},
        };
        for (String[] c : bad) {
            assertThatThrownBy(() -> td.validateReading(r, json(c[0])))
                    .as(c[0])
                    .isInstanceOfSatisfying(ProtocolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
                        assertThat(e.getMessage())
                                .startsWith("schema-violation: /$command-result: ")
                                .contains(c[1]);
                    });
        }
    }

    /**
     * Random schemas from the supported keywords and random values: our verdict must be the
     * independent validator's verdict, every time.
     */
    @Test
    void agreesWithAnIndependentValidatorOnRandomSchemasAndValues() throws Exception {
        long seed = 20261125L;
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            ObjectNode schema = randomSchema(random, 0);
            JsonNode value = randomValue(random, 0);
            String schemaText = Json.text(schema);
            String valueText = Json.text(value);
            ThingDescription td = withProperty(schemaText);
            boolean ours = accepts(td, "p", value);
            List<String> theirs = JsonSchemas.errorsAgainstDataSchema(schemaText, valueText);
            assertThat(ours)
                    .as("seed %d case %d: %s against %s; networknt says %s", seed, i, valueText, schemaText, theirs)
                    .isEqualTo(theirs.isEmpty());
            accepted += ours ? 1 : 0;
        }
        // Both verdicts must occur often, or the comparison says little.
        assertThat(accepted).isBetween(300, 2700);
    }

    static boolean accepts(ThingDescription td, String name, JsonNode value) {
        try {
            td.validatePropertyValue(name, value);
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    private static final String[] TYPES = {"boolean", "integer", "number", "string", "object", "array", "null"};
    private static final String[] NUMBERS = {"-2", "-1", "0", "0.5", "1", "2.5", "3", "10", "0.1", "1.0"};
    private static final String[] MULTIPLES = {"0.1", "0.25", "0.5", "1", "2", "3"};
    private static final String[] PATTERNS = {"^a", "b$", "^[0-9]+$", "x|y", "[A-Z]", "^.{2}$"};
    private static final String[] STRINGS = {"", "a", "ab", "abc", "b", "12", "xyz", "ABC", "\uD83D\uDE00", "a1"};
    private static final String[] NAMES = {"a", "b", "c"};

    static ObjectNode randomSchema(Random r, int depth) {
        ObjectNode s = Json.object();
        if (r.nextInt(10) < 6) {
            s.put("type", TYPES[r.nextInt(TYPES.length)]);
        }
        if (r.nextInt(20) == 0) {
            s.set("const", randomValue(r, 2));
        }
        if (r.nextInt(10) == 0) {
            ArrayNode e = s.putArray("enum");
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                JsonNode v = randomValue(r, 2);
                boolean dup = false;
                for (JsonNode seen : e) {
                    dup |= JsonValues.equal(seen, v);
                }
                if (!dup) {
                    e.add(v);
                }
            }
        }
        for (String k : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
            if (r.nextInt(7) == 0) {
                s.put(k, new BigDecimal(NUMBERS[r.nextInt(NUMBERS.length)]));
            }
        }
        if (r.nextInt(8) == 0) {
            s.put("multipleOf", new BigDecimal(MULTIPLES[r.nextInt(MULTIPLES.length)]));
        }
        for (String k : List.of("minLength", "maxLength", "minItems", "maxItems")) {
            if (r.nextInt(8) == 0) {
                s.put(k, r.nextInt(4));
            }
        }
        if (r.nextInt(8) == 0) {
            s.put("pattern", PATTERNS[r.nextInt(PATTERNS.length)]);
        }
        if (depth < 3 && r.nextInt(6) == 0) {
            s.set("items", randomSchema(r, depth + 1));
        }
        if (depth < 3 && r.nextInt(5) == 0) {
            ObjectNode props = s.putObject("properties");
            for (String name : NAMES) {
                if (r.nextBoolean()) {
                    props.set(name, randomSchema(r, depth + 1));
                }
            }
        }
        if (r.nextInt(6) == 0) {
            ArrayNode req = s.putArray("required");
            for (String name : NAMES) {
                if (r.nextInt(3) == 0) {
                    req.add(name);
                }
            }
        }
        if (depth < 2 && r.nextInt(12) == 0) {
            ArrayNode alternatives = s.putArray("oneOf");
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                alternatives.add(randomSchema(r, depth + 1));
            }
        }
        if (r.nextInt(10) == 0) {
            s.put("unit", "Cel");
        }
        return s;
    }

    static JsonNode randomValue(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = r.nextInt(depth < 3 ? 7 : 5);
        return switch (kind) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(r.nextBoolean());
            case 2 ->
                r.nextBoolean()
                        ? f.numberNode(r.nextInt(16) - 3)
                        : f.numberNode(new BigDecimal(NUMBERS[r.nextInt(NUMBERS.length)]));
            case 3, 4 -> f.textNode(STRINGS[r.nextInt(STRINGS.length)]);
            case 5 -> {
                ArrayNode a = f.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (String name : List.of("a", "b", "c", "d")) {
                    if (r.nextBoolean()) {
                        o.set(name, randomValue(r, depth + 1));
                    }
                }
                yield o;
            }
        };
    }
}
