package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.NOW;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

class RecordPayloadTest {
    private static final String PUB = ALICE.publicKey().hex();

    private static String valid() {
        return "{\"pub\":\"" + PUB + "\",\"salt\":\"td\",\"seq\":7,\"iat\":" + NOW + ",\"exp\":" + (NOW + 60)
                + ",\"log\":false,\"val\":{\"a\":[1,2.5,null,\"x\"]}}";
    }

    private static ErrorCode codeOf(String json) {
        try {
            RecordPayload.parse(json.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("accepted: " + json);
        } catch (ProtocolException e) {
            return e.code();
        }
    }

    @Test
    void parsesEveryMemberAndWritesTheSameJsonBack() throws Exception {
        RecordPayload payload = RecordPayload.parse(valid().getBytes(StandardCharsets.UTF_8));
        assertThat(payload.pub()).isEqualTo(ALICE.publicKey());
        assertThat(payload.salt()).isEqualTo("td");
        assertThat(payload.seq()).isEqualTo(7);
        assertThat(payload.iat()).isEqualTo(NOW);
        assertThat(payload.exp()).isEqualTo(NOW + 60);
        assertThat(payload.log()).isFalse();
        assertThat(payload.val()).isEqualTo(json("{\"a\":[1,2.5,null,\"x\"]}"));
        assertThat(new String(payload.toBytes(), StandardCharsets.UTF_8)).isEqualTo(valid());
        assertThat(payload.key()).isEqualTo(RecordKey.of(ALICE.publicKey(), "td"));
    }

    @Test
    void theValueCannotBeChangedThroughTheRecord() throws Exception {
        ObjectNode val = Json.object().put("on", true);
        RecordPayload payload = new RecordPayload(ALICE.publicKey(), "td", 1, NOW, NOW, false, val);
        val.put("on", false);
        ((ObjectNode) payload.val()).put("on", false);
        assertThat(payload.val()).isEqualTo(Json.object().put("on", true));
    }

    @Test
    void anyJsonValueIsAValueIncludingNullAndAJweString() throws Exception {
        for (String val :
                new String[] {"null", "true", "0", "-1.5e3", "\"eyJhbGciOiJFQ0RILUVTIn0..a.b.c\"", "[]", "{}"}) {
            String text = valid().replace("{\"a\":[1,2.5,null,\"x\"]}", val);
            assertThat(RecordPayload.parse(text.getBytes(StandardCharsets.UTF_8))
                            .val())
                    .isEqualTo(json(val));
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // missing members
                "\"salt\":\"td\",|",
                "\"seq\":7,|",
                ",\"val\":{\"a\":[1,2.5,null,\"x\"]}|",
                "\"log\":false,|",
                // wrong types
                "\"seq\":7|\"seq\":\"7\"",
                "\"seq\":7|\"seq\":7.0",
                "\"seq\":7|\"seq\":7e0",
                "\"seq\":7|\"seq\":-1",
                "\"seq\":7|\"seq\":9223372036854775808",
                "\"seq\":7|\"seq\":null",
                "\"log\":false|\"log\":0",
                "\"log\":false|\"log\":\"false\"",
                "\"salt\":\"td\"|\"salt\":7",
                "\"salt\":\"td\"|\"salt\":null",
                "\"iat\":|\"iat\":-",
                // salt rules
                "\"salt\":\"td\"|\"salt\":\"\\ud800\"",
                "\"salt\":\"td\"|\"salt\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
                // unknown and duplicate members, expiry before issue
                "\"log\":false|\"log\":false,\"extra\":1",
                "\"log\":false|\"log\":false,\"log\":true",
                "\"pub\":|\"pub\":7,\"x\":",
            })
    void malformedPayloadsAreRefusedAsMalformed(String from, String to) {
        String text = valid().replace(from, to == null ? "" : to);
        assertThat(text).isNotEqualTo(valid());
        assertThat(codeOf(text)).as(text).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void aRecordThatExpiresBeforeItIsIssuedIsMalformed() {
        String text = valid().replace("\"exp\":" + (NOW + 60), "\"exp\":" + (NOW - 1));
        assertThat(codeOf(text)).isEqualTo(ErrorCode.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "null", "", "{", "{} {}"})
    void notAnObjectIsMalformed(String text) {
        assertThat(codeOf(text)).isEqualTo(ErrorCode.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "03" + "ff", // wrong length
                "04605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8", // wrong prefix
                "02605136FB2EC39F4A032CF0E759C8F6A0FA88F463AE68126C9D6D62F5FD0737C8", // upper case
                "020000000000000000000000000000000000000000000000000000000000000005", // not on the curve
            })
    void aPubThatIsNotACompressedSecp256k1KeyIsABadKey(String pub) {
        assertThat(codeOf(valid().replace(PUB, pub))).isEqualTo(ErrorCode.BAD_KEY);
    }

    @Test
    void aPubThatIsNotAStringIsMalformed() {
        assertThat(codeOf(valid().replace("\"" + PUB + "\"", "[]"))).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void whatThePayloadWritesSatisfiesTheRecordSchema() throws Exception {
        assertThat(JsonSchemas.metaErrors("record.schema.json")).isEmpty();
        RecordPayload payload = RecordPayload.parse(valid().getBytes(StandardCharsets.UTF_8));
        assertThat(JsonSchemas.errors("record.schema.json", payload.toJson())).isEmpty();
        RecordPayload log = new RecordPayload(
                ALICE.publicKey(), "ü".repeat(32), Long.MAX_VALUE, 0, Long.MAX_VALUE, true, json("\"jwe\""));
        assertThat(JsonSchemas.errors("record.schema.json", log.toJson())).isEmpty();
    }

    @Test
    void theRecordSchemaRefusesWhatTheParserRefuses() {
        for (String bad : new String[] {
            valid().replace("\"log\":false", "\"log\":false,\"extra\":1"),
            valid().replace("\"seq\":7", "\"seq\":-1"),
            valid().replace("\"seq\":7,", ""),
            valid().replace(PUB, PUB.toUpperCase()),
            valid().replace("\"log\":false", "\"log\":\"no\"")
        }) {
            assertThat(JsonSchemas.errors("record.schema.json", bad)).as(bad).isNotEmpty();
            assertThat(codeOf(bad)).isIn(ErrorCode.MALFORMED, ErrorCode.BAD_KEY);
        }
    }
}
