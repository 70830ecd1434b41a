package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and mutated Thing Descriptions: the parser and validator never fail with anything but
 * ProtocolException, and on structurally mutated JSON the parser accepts exactly what the
 * published JSON Schema accepts.
 */
class ThingDescriptionFuzzTest {
    private static final String[] FILES = {"thermostat.td.json", "door-lock.td.json", "energy-meter.td.json"};
    private static final List<String> TEXTS =
            java.util.Arrays.stream(FILES).map(JsonSchemas::thing).toList();
    private static final String[] KEYWORDS = {
        "type",
        "const",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "items",
        "minItems",
        "maxItems",
        "properties",
        "required",
        "oneOf",
        "unit",
        "readOnly",
        "writeOnly",
        "title",
        "description",
        "observable",
        "forms",
        "input",
        "output",
        "data",
        "safe",
        "idempotent",
        "href",
        "scheme",
        "security",
        "securityDefinitions",
        "@context",
        "id",
        "$x",
        "",
        "events",
        "actions"
    };

    @Test
    void mutatedTextOnlyEverFailsWithProtocolException() throws Exception {
        long seed = 7_2026L;
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = TEXTS.get(random.nextInt(TEXTS.size())).getBytes(StandardCharsets.UTF_8);
            byte[] mutated = mutateBytes(random, bytes);
            try {
                ThingDescription td = ThingDescription.parse(mutated);
                accepted++;
                exerciseValidator(random, td, seed, i);
            } catch (ProtocolException expected) {
                // refused: fine
            } catch (RuntimeException | StackOverflowError e) {
                fail(
                        "seed " + seed + " case " + i + ": " + e + " on " + new String(mutated, StandardCharsets.UTF_8),
                        e);
            }
        }
        assertThat(accepted)
                .as("some mutations (inside strings) must stay valid")
                .isGreaterThan(0);
    }

    @Test
    void onMutatedJsonTheParserAgreesWithTheJsonSchema() throws Exception {
        long seed = 11_2026L;
        Random random = new Random(seed);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 1500; i++) {
            JsonNode root = Json.MAPPER.readTree(TEXTS.get(random.nextInt(TEXTS.size())));
            int n = 1 + random.nextInt(2);
            for (int m = 0; m < n; m++) {
                root = mutateTree(random, root);
            }
            String text = Json.text(root);
            boolean ours;
            try {
                ThingDescription td = ThingDescription.parse(text);
                ours = true;
                exerciseValidator(random, td, seed, i);
            } catch (ProtocolException e) {
                ours = false;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + e + " on " + text, e);
            }
            List<String> theirs = JsonSchemas.errors("thing-description.schema.json", text);
            assertThat(ours)
                    .as("seed %d case %d: %s; schema says %s", seed, i, text, theirs)
                    .isEqualTo(theirs.isEmpty());
            if (ours) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(accepted).isGreaterThan(150);
        assertThat(refused).isGreaterThan(150);
    }

    /** Validates random values against every affordance: only ProtocolException may come out. */
    private static void exerciseValidator(Random random, ThingDescription td, long seed, int i) {
        List<String> names = new ArrayList<>(td.properties().keySet());
        names.addAll(td.events().keySet());
        names.add(ThingDescription.COMMAND_RESULT);
        names.add("no-such-thing");
        for (int k = 0; k < 4; k++) {
            JsonNode value = DataSchemaValidationTest.randomValue(random, 0);
            String name = names.get(random.nextInt(names.size()));
            try {
                td.validateReading(name, value);
            } catch (ProtocolException expected) {
                // refused: fine
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + i + ": validating " + value + " as " + name, e);
            }
            for (String action : td.actions().keySet()) {
                try {
                    td.validateActionInput(action, value);
                } catch (ProtocolException expected) {
                    // refused: fine
                }
            }
        }
    }

    static byte[] mutateBytes(Random r, byte[] in) {
        byte[] out = in.clone();
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            int op = r.nextInt(4);
            int pos = r.nextInt(out.length);
            if (op == 0) {
                out[pos] = (byte) r.nextInt(256);
            } else if (op == 1) {
                String syntax = "{}[]\",:0123456789.-eE \tnul";
                out[pos] = (byte) syntax.charAt(r.nextInt(syntax.length()));
            } else if (op == 2) {
                byte[] shorter = new byte[out.length - 1];
                System.arraycopy(out, 0, shorter, 0, pos);
                System.arraycopy(out, pos + 1, shorter, pos, out.length - pos - 1);
                out = shorter;
            } else {
                out = java.util.Arrays.copyOf(out, pos + 1);
            }
        }
        return out;
    }

    /** Replaces, removes or adds one member or element somewhere in the tree. */
    static JsonNode mutateTree(Random r, JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int op = r.nextInt(3);
            if (op == 0 && !names.isEmpty()) {
                object.remove(names.get(r.nextInt(names.size())));
            } else if (op == 1 && !names.isEmpty()) {
                object.set(names.get(r.nextInt(names.size())), randomJson(r, 0));
            } else {
                object.set(KEYWORDS[r.nextInt(KEYWORDS.length)], randomJson(r, 0));
            }
        } else if (target instanceof ArrayNode array) {
            if (!array.isEmpty() && r.nextBoolean()) {
                array.set(r.nextInt(array.size()), randomJson(r, 0));
            } else if (!array.isEmpty() && r.nextBoolean()) {
                array.remove(r.nextInt(array.size()));
            } else {
                array.add(randomJson(r, 0));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static final String[] STRINGS = {
        "",
        "number",
        "integer",
        "string",
        "object",
        "float",
        "urn:x",
        "x",
        "^[0-9]+$",
        "[a-",
        "https://www.w3.org/2022/wot/td/v1.1",
        "date-time",
        "$r",
        "streembit:feed"
    };

    static JsonNode randomJson(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (r.nextInt(depth < 2 ? 9 : 6)) {
            case 0:
                return f.nullNode();
            case 1:
                return f.booleanNode(r.nextBoolean());
            case 2:
                return f.numberNode(r.nextInt(7) - 2);
            case 3:
                return f.numberNode(new BigDecimal(new String[] {"0.5", "-1.5", "2.0", "1e3", "0"}[r.nextInt(5)]));
            case 4:
            case 5:
                return f.textNode(STRINGS[r.nextInt(STRINGS.length)]);
            case 6:
                ArrayNode a = f.arrayNode();
                int n = r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(randomJson(r, depth + 1));
                }
                return a;
            default:
                ObjectNode o = f.objectNode();
                int m = r.nextInt(3);
                for (int i = 0; i < m; i++) {
                    o.set(KEYWORDS[r.nextInt(KEYWORDS.length)], randomJson(r, depth + 1));
                }
                return o;
        }
    }
}
