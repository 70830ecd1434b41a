package io.streembit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.streembit.protocol.record.RandomJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** What the mapper writes, as UTF-8 (the bytes a sink sends; a lone surrogate becomes '?' there). */
    private static String mapper(JsonNode node) throws Exception {
        return new String(Json.MAPPER.writeValueAsBytes(node), StandardCharsets.UTF_8);
    }

    /** Readings' values are stored as this text (JSONB): the scalar shortcut must write what the mapper writes. */
    @Test
    void textOfScalarsIsWhatTheMapperWrites() throws Exception {
        List<String> parsed = List.of(
                "0",
                "-0",
                "21.5",
                "-273.15",
                "1e10",
                "1E-7",
                "1.50",
                "0.000001",
                "123456789012345678901234567890",
                "-9223372036854775808",
                "9223372036854775807",
                "2147483648",
                "1.0E+400",
                "true",
                "false",
                "null",
                "\"a \\\"quoted\\\" \\u00e9 string\"",
                "[1,2.5,\"x\"]",
                "{\"a\":1.25,\"b\":[true,null]}");
        for (String text : parsed) {
            JsonNode node = Json.parse(text.getBytes(StandardCharsets.UTF_8), "value");
            assertEquals(mapper(node), Json.text(node), text);
        }
        List<JsonNode> built = List.of(
                F.numberNode((short) 7),
                F.numberNode(-5),
                F.numberNode(Long.MIN_VALUE),
                F.numberNode(new BigInteger("-98765432109876543210")),
                F.numberNode(new BigDecimal("1E+3")),
                F.numberNode(new BigDecimal("12.3400")),
                F.numberNode(0.1d),
                F.numberNode(3.5f),
                F.numberNode(Double.NaN));
        for (JsonNode node : built) {
            assertEquals(mapper(node), Json.text(node), node.getNodeType() + " " + node);
        }
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            JsonNode node = RandomJson.value(random, 2, "hint");
            assertEquals(mapper(node), Json.text(node), node.toString());
        }
    }
}
