package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

/**
 * Random JSON trees for fuzzing parsers, biased towards the member names and value shapes the
 * protocol's payloads use, so that the generator reaches past the first type check.
 */
public final class RandomJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] NAMES = {
        "pub",
        "salt",
        "seq",
        "iat",
        "exp",
        "log",
        "val",
        "n",
        "prev",
        "readings",
        "name",
        "ts",
        "value",
        "id",
        "action",
        "input",
        "status",
        "output",
        "error",
        "x",
        ""
    };

    private RandomJson() {}

    /** A random value; {@code hint} is a string that should appear sometimes (e.g. a valid key). */
    public static JsonNode value(Random random, int depth, String hint) {
        int kind = random.nextInt(depth <= 0 ? 6 : 8);
        switch (kind) {
            case 0:
                return F.nullNode();
            case 1:
                return F.booleanNode(random.nextBoolean());
            case 2:
                return switch (random.nextInt(5)) {
                    case 0 -> F.numberNode(random.nextInt(10));
                    case 1 -> F.numberNode(random.nextLong());
                    case 2 -> F.numberNode(new BigInteger(80, random).negate());
                    case 3 -> F.numberNode(new BigDecimal(random.nextInt(1000)).movePointLeft(random.nextInt(3)));
                    default -> F.numberNode(Long.MAX_VALUE);
                };
            case 3:
                return F.textNode(
                        switch (random.nextInt(6)) {
                            case 0 -> hint;
                            case 1 -> "";
                            case 2 -> "\ud800";
                            case 3 -> "ok";
                            case 4 -> "x".repeat(random.nextInt(200));
                            default -> "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
                        });
            case 4:
                return F.textNode(Long.toString(random.nextLong(), 36));
            case 5:
                return F.numberNode(random.nextDouble());
            case 6: {
                ArrayNode array = F.arrayNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(value(random, depth - 1, hint));
                }
                return array;
            }
            default: {
                ObjectNode object = F.objectNode();
                int size = random.nextInt(8);
                for (int i = 0; i < size; i++) {
                    object.set(NAMES[random.nextInt(NAMES.length)], value(random, depth - 1, hint));
                }
                return object;
            }
        }
    }
}
