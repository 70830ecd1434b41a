package io.streembit.protocol.feed;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandResultTest {
    private static final long TS = 1_764_000_000_123L;

    @Test
    void eachStatusHasItsOwnShape() {
        assertThat(Json.text(CommandResult.ok("c-1", json("{\"on\":true}")).toJson()))
                .isEqualTo("{\"id\":\"c-1\",\"status\":\"ok\",\"output\":{\"on\":true}}");
        assertThat(Json.text(CommandResult.ok("c-1", null).toJson())).isEqualTo("{\"id\":\"c-1\",\"status\":\"ok\"}");
        assertThat(Json.text(CommandResult.error("c-2", "relay stuck").toJson()))
                .isEqualTo("{\"id\":\"c-2\",\"status\":\"error\",\"error\":\"relay stuck\"}");
        assertThat(Json.text(CommandResult.rejected("c-3", "expired").toJson()))
                .isEqualTo("{\"id\":\"c-3\",\"status\":\"rejected\",\"error\":\"expired\"}");
    }

    @Test
    void resultsTravelAsCommandResultReadingsAndSatisfyBothSchemas() throws Exception {
        assertThat(JsonSchemas.metaErrors("command-result.schema.json")).isEmpty();
        List<CommandResult> results = List.of(
                CommandResult.ok("c-1", json("[1,2]")),
                CommandResult.ok("c-1", null),
                CommandResult.error("c-2", "relay stuck"),
                CommandResult.rejected("c-3", "not-allowed: unknown controller"));
        List<Reading> readings = results.stream().map(r -> r.toReading(TS)).toList();
        for (int i = 0; i < results.size(); i++) {
            assertThat(readings.get(i).name()).isEqualTo("$command-result");
            assertThat(CommandResult.fromReading(readings.get(i))).isEqualTo(results.get(i));
            assertThat(JsonSchemas.errors(
                            "command-result.schema.json", results.get(i).toJson()))
                    .isEmpty();
        }
        FeedEntry entry = FeedChain.genesis().nextEntry(readings);
        assertThat(JsonSchemas.errors("feed-entry.schema.json", entry.toJson())).isEmpty();
    }

    @Test
    void theFeedSchemaChecksACommandResultReadingAgainstTheResultSchema() {
        String badResult =
                "{\"n\":1,\"prev\":\"" + FeedChain.GENESIS_PREV + "\",\"readings\":[{\"name\":\"$command-result\","
                        + "\"ts\":1,\"value\":{\"id\":\"c-1\",\"status\":\"done\"}}]}";
        assertThat(JsonSchemas.errors("feed-entry.schema.json", badResult)).isNotEmpty();
        assertThat(JsonSchemas.errors("feed-entry.schema.json", badResult.replace("$command-result", "power")))
                .isEmpty();
    }

    @Test
    void resultsThatMixTheShapesAreRefusedByParserAndSchema() {
        for (String bad : new String[] {
            "{\"id\":\"c\",\"status\":\"ok\",\"error\":\"x\"}",
            "{\"id\":\"c\",\"status\":\"error\"}",
            "{\"id\":\"c\",\"status\":\"rejected\",\"error\":\"x\",\"output\":1}",
            "{\"id\":\"c\",\"status\":\"done\"}",
            "{\"id\":\"c\",\"status\":\"error\",\"error\":\"\"}",
            "{\"status\":\"ok\"}",
            "{\"id\":\"c\",\"status\":\"ok\",\"extra\":1}"
        }) {
            assertThatThrownBy(() -> CommandResult.fromJson(json(bad)))
                    .as(bad)
                    .extracting(e -> ((ProtocolException) e).code())
                    .isEqualTo(ErrorCode.MALFORMED);
            assertThat(JsonSchemas.errors("command-result.schema.json", bad))
                    .as(bad)
                    .isNotEmpty();
        }
        assertThatThrownBy(() ->
                        CommandResult.fromReading(new Reading("power", TS, json("{\"id\":\"c\",\"status\":\"ok\"}"))))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> CommandResult.error("c", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
