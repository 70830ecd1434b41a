package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.feed.FeedFixtures.NOW;
import static io.streembit.protocol.feed.FeedFixtures.NOW_INSTANT;
import static io.streembit.protocol.feed.FeedFixtures.STRANGER;
import static io.streembit.protocol.feed.FeedFixtures.verify;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {
    private static final Commands COMMANDS = Commands.standard();
    private static final Predicate<PublicKey> GATEWAY_ONLY = GATEWAY.publicKey()::equals;
    private static final Command SWITCH_ON = new Command("c-17", "switch", json("{\"on\":true}"), NOW + 300);

    private static void refused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(code);
    }

    private static VerifiedRecord sealed(Command command) throws ProtocolException {
        return verify(
                Commands.key(GATEWAY.publicKey(), DEVICE.publicKey()),
                COMMANDS.seal(GATEWAY, DEVICE.publicKey(), 1, command, NOW));
    }

    @Test
    void theDeviceOpensWhatItsGatewaySealedForIt() throws Exception {
        VerifiedRecord record = sealed(SWITCH_ON);
        assertThat(record.payload().salt()).isEqualTo("cmd/" + DEVICE.account());
        assertThat(record.key()).isEqualTo(RecordKey.of(GATEWAY.publicKey(), "cmd/" + DEVICE.account()));
        assertThat(record.isLog()).isTrue();
        assertThat(record.payload().exp()).isEqualTo(SWITCH_ON.exp());
        Command opened = COMMANDS.open(record, DEVICE, GATEWAY_ONLY, NOW_INSTANT);
        assertThat(opened).isEqualTo(SWITCH_ON);
        assertThat(opened.input()).isEqualTo(json("{\"on\":true}"));
    }

    @Test
    void aCommandAndItsRecordSatisfyTheirSchemas() throws Exception {
        assertThat(JsonSchemas.metaErrors("command.schema.json")).isEmpty();
        assertThat(JsonSchemas.errors("command.schema.json", SWITCH_ON.toJson()))
                .isEmpty();
        Command noInput = new Command("c-18", "reboot", null, NOW + 60);
        assertThat(noInput.toJson().has("input")).isFalse();
        assertThat(JsonSchemas.errors("command.schema.json", noInput.toJson())).isEmpty();
        String token = COMMANDS.seal(GATEWAY, DEVICE.publicKey(), 2, noInput, NOW);
        JsonNode payload = Json.parse(Base64Url.decode(token.split("\\.")[1], "payload"), "payload");
        assertThat(JsonSchemas.errors("record.schema.json", payload)).isEmpty();
    }

    @Test
    void aCommandExpiresAtItsExpSecondEvenIfItsRecordWasValidWhenFetched() throws Exception {
        VerifiedRecord record = sealed(SWITCH_ON);
        COMMANDS.open(record, DEVICE, GATEWAY_ONLY, NOW_INSTANT.plusSeconds(299));
        refused(() -> COMMANDS.open(record, DEVICE, GATEWAY_ONLY, NOW_INSTANT.plusSeconds(300)), ErrorCode.EXPIRED);
        refused(() -> COMMANDS.open(record, DEVICE, GATEWAY_ONLY, NOW_INSTANT.plusSeconds(4000)), ErrorCode.EXPIRED);
    }

    @Test
    void onlyAConfiguredControllerCommandsTheDevice() throws Exception {
        VerifiedRecord record = sealed(SWITCH_ON);
        refused(() -> COMMANDS.open(record, DEVICE, STRANGER.publicKey()::equals, NOW_INSTANT), ErrorCode.NOT_ALLOWED);
    }

    @Test
    void aCommandForAnotherDeviceIsNotOpened() throws Exception {
        VerifiedRecord record = sealed(SWITCH_ON);
        refused(() -> COMMANDS.open(record, STRANGER, GATEWAY_ONLY, NOW_INSTANT), ErrorCode.MALFORMED);
    }

    @Test
    void aCommandEncryptedForAnotherKeyDoesNotDecrypt() throws Exception {
        String jwe = Jwe.standard().encrypt(STRANGER.publicKey(), SWITCH_ON.toBytes(), GATEWAY.account());
        String salt = Commands.salt(DEVICE.publicKey());
        VerifiedRecord record = verify(
                RecordKey.of(GATEWAY.publicKey(), salt),
                Records.sign(GATEWAY, salt, 1, NOW, NOW + 60, true, TextNode.valueOf(jwe)));
        refused(() -> COMMANDS.open(record, DEVICE, GATEWAY_ONLY, NOW_INSTANT), ErrorCode.DECRYPT_FAILED);
    }

    @Test
    void aGatewaysCiphertextReSignedByAnotherControllerIsAnAuthorMismatch() throws Exception {
        String original = COMMANDS.seal(GATEWAY, DEVICE.publicKey(), 1, SWITCH_ON, NOW);
        JsonNode val = Json.parse(Base64Url.decode(original.split("\\.")[1], "payload"), "payload")
                .get("val");
        String salt = Commands.salt(DEVICE.publicKey());
        VerifiedRecord lifted = verify(
                RecordKey.of(STRANGER.publicKey(), salt), Records.sign(STRANGER, salt, 1, NOW, NOW + 60, true, val));
        Predicate<PublicKey> both = k -> k.equals(GATEWAY.publicKey()) || k.equals(STRANGER.publicKey());
        refused(() -> COMMANDS.open(lifted, DEVICE, both, NOW_INSTANT), ErrorCode.AUTHOR_MISMATCH);
    }

    @Test
    void malformedCommandsAreRefused() {
        String good = Json.text(SWITCH_ON.toJson());
        for (String bad : new String[] {
            good.replace("\"c-17\"", "\"\""),
            good.replace("\"c-17\"", "17"),
            good.replace("\"switch\"", "null"),
            good.replace(",\"exp\":" + (NOW + 300), ""),
            good.replace("\"exp\":" + (NOW + 300), "\"exp\":-1"),
            good.replace("\"exp\":" + (NOW + 300), "\"exp\":\"soon\""),
            good.replace("\"id\"", "\"extra\":1,\"id\""),
            good.replace("\"c-17\"", "\"" + "c".repeat(129) + "\"")
        }) {
            assertThatThrownBy(() -> Command.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .extracting(e -> ((ProtocolException) e).code())
                    .isEqualTo(ErrorCode.MALFORMED);
            assertThat(JsonSchemas.errors("command.schema.json", bad)).as(bad).isNotEmpty();
        }
    }
}
