package io.streembit.protocol.feed;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.streembit.protocol.feed.FeedFixtures.readings;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedEntryTest {
    private static final String PREV = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
    private static final String ENTRY = "{\"n\":2,\"prev\":\"" + PREV + "\",\"readings\":[{\"name\":\"temperature\","
            + "\"ts\":1764000000000,\"value\":21.5},{\"name\":\"door\",\"ts\":1764000000005,\"value\":{\"open\":true}}]}";

    private static ErrorCode codeOf(String text) {
        try {
            FeedEntry.parse(text.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("accepted " + text);
        } catch (ProtocolException e) {
            return e.code();
        }
    }

    @Test
    void anEntryReadsAndWritesItsJson() throws Exception {
        FeedEntry entry = FeedEntry.parse(ENTRY.getBytes(StandardCharsets.UTF_8));
        assertThat(entry.n()).isEqualTo(2);
        assertThat(entry.prev()).isEqualTo(PREV);
        assertThat(entry.readings())
                .containsExactly(
                        new Reading("temperature", 1764000000000L, json("21.5")),
                        new Reading("door", 1764000000005L, json("{\"open\":true}")));
        assertThat(new String(entry.toBytes(), StandardCharsets.UTF_8)).isEqualTo(ENTRY);
    }

    @Test
    void whatAnEntryWritesSatisfiesTheFeedEntrySchema() {
        assertThat(JsonSchemas.metaErrors("feed-entry.schema.json")).isEmpty();
        FeedEntry first = FeedChain.genesis().nextEntry(readings(20.25));
        assertThat(JsonSchemas.errors("feed-entry.schema.json", first.toJson())).isEmpty();
        assertThat(JsonSchemas.errors("feed-entry.schema.json", new FeedEntry(2, PREV, List.of()).toJson()))
                .isEmpty();
        assertThat(JsonSchemas.errors("feed-entry.schema.json", ENTRY)).isEmpty();
    }

    // The schema cannot see the two cases marked false: 2.0 is an integer to JSON Schema, and
    // text that is not JSON is no instance at all.
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"n\":2|\"n\":0|true",
                "\"n\":2|\"n\":-2|true",
                "\"n\":2|\"n\":2.0|false",
                "\"n\":2,||true",
                "\"prev\":\"" + PREV + "\",||true",
                PREV + "|" + "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCg|true", // 31 bytes
                PREV + "|" + "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg=|true", // padded
                "\"readings\":[|\"readings\":{\"a\":[|false",
                "\"name\":\"temperature\"|\"name\":\"\"|true",
                "\"name\":\"temperature\"|\"name\":7|true",
                "\"ts\":1764000000000|\"ts\":-1|true",
                "\"ts\":1764000000000|\"ts\":\"1764000000000\"|true",
                ",\"value\":21.5||true",
                "\"value\":21.5|\"value\":21.5,\"unit\":\"C\"|true",
                "\"n\":2|\"n\":2,\"extra\":true|true",
            })
    void malformedEntriesAreRefused(String from, String to, boolean schemaRefuses) {
        String text = ENTRY.replace(from, to == null ? "" : to);
        assertThat(text).isNotEqualTo(ENTRY);
        assertThat(codeOf(text)).as(text).isIn(ErrorCode.MALFORMED, ErrorCode.BAD_ENCODING);
        if (schemaRefuses) {
            assertThat(JsonSchemas.errors("feed-entry.schema.json", text))
                    .as(text)
                    .isNotEmpty();
        }
    }

    @Test
    void entryOneMustCarryTheGenesisPrevSoThatAChainStartsOnlyOneWay() {
        String first = ENTRY.replace("\"n\":2", "\"n\":1");
        assertThat(codeOf(first)).isEqualTo(ErrorCode.MALFORMED);
        assertThat(JsonSchemas.errors("feed-entry.schema.json", first)).isNotEmpty();
        assertThatThrownBy(() -> new FeedEntry(1, PREV, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadingNameIsOneTo128Characters() throws Exception {
        assertThat(new Reading("é".repeat(128), 0, json("1")).name()).hasSize(128);
        assertThatThrownBy(() -> new Reading("x".repeat(129), 0, json("1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(codeOf(ENTRY.replace("temperature", "x".repeat(129)))).isEqualTo(ErrorCode.MALFORMED);
    }
}
