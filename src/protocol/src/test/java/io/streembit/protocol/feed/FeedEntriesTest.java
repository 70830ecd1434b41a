package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.feed.FeedFixtures.NOW;
import static io.streembit.protocol.feed.FeedFixtures.STRANGER;
import static io.streembit.protocol.feed.FeedFixtures.readings;
import static io.streembit.protocol.feed.FeedFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedEntriesTest {
    private static final FeedEntries FEED = FeedEntries.standard();

    private static void refused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(code);
    }

    private static String jweOf(FeedEntry entry) {
        return Jwe.standard().encrypt(GATEWAY.publicKey(), entry.toBytes(), DEVICE.account());
    }

    @Test
    void aDeviceSealsEntriesThatOnlyItsGatewayOpensAndTheyChain() throws Exception {
        FeedChain device = FeedChain.genesis();
        FeedChain gateway = FeedChain.genesis();
        for (int i = 0; i < 3; i++) {
            FeedEntry entry = device.nextEntry(readings(20 + i));
            String token = FEED.seal(DEVICE, GATEWAY.publicKey(), entry, NOW, NOW + 3600);
            device = ((ChainStep.Linked) device.append(entry, token)).chain();

            VerifiedRecord record = verify(FeedEntries.key(DEVICE.publicKey()), token);
            assertThat(record.seq()).isEqualTo(i + 1);
            assertThat(record.isLog()).isTrue();
            FeedEntry opened = FEED.open(record, GATEWAY);
            // Compared as written: a tree parsed from "20.0" and one built from 20.0 differ in
            // node type, not in JSON.
            assertThat(opened.toBytes()).isEqualTo(entry.toBytes());
            ChainStep step = gateway.append(opened, record.token());
            assertThat(step).isInstanceOf(ChainStep.Linked.class);
            gateway = ((ChainStep.Linked) step).chain();
        }
        assertThat(gateway).isEqualTo(device);
        assertThat(gateway.lastN()).isEqualTo(3);
    }

    @Test
    void theRecordAndItsPlaintextSatisfyTheirSchemas() throws Exception {
        FeedEntry entry = FeedChain.genesis().nextEntry(readings(21.5));
        String token = FEED.seal(DEVICE, GATEWAY.publicKey(), entry, NOW, NOW + 3600);
        JsonNode payload = Json.parse(Base64Url.decode(token.split("\\.")[1], "payload"), "payload");
        assertThat(JsonSchemas.errors("record.schema.json", payload)).isEmpty();
        assertThat(payload.get("salt").textValue()).isEqualTo("feed");
        assertThat(payload.get("log").booleanValue()).isTrue();
        assertThat(payload.get("val").textValue()).doesNotContain("temperature");
        byte[] plaintext =
                Jwe.standard().decrypt(payload.get("val").textValue(), GATEWAY).plaintext();
        assertThat(JsonSchemas.errors("feed-entry.schema.json", new String(plaintext, StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void anEntryEncryptedForAnotherKeyDoesNotDecrypt() throws Exception {
        FeedEntry entry = FeedChain.genesis().nextEntry(readings(1));
        VerifiedRecord record = verify(
                FeedEntries.key(DEVICE.publicKey()), FEED.seal(DEVICE, STRANGER.publicKey(), entry, NOW, NOW + 60));
        refused(() -> FEED.open(record, GATEWAY), ErrorCode.DECRYPT_FAILED);
    }

    @Test
    void aCiphertextLiftedIntoAnotherDevicesFeedIsAnAuthorMismatch() throws Exception {
        FeedEntry entry = FeedChain.genesis().nextEntry(readings(1));
        String original = FEED.seal(DEVICE, GATEWAY.publicKey(), entry, NOW, NOW + 60);
        JsonNode val = Json.parse(Base64Url.decode(original.split("\\.")[1], "payload"), "payload")
                .get("val");
        // The stranger signs the device's ciphertext as its own feed entry 1.
        String lifted = Records.sign(STRANGER, FeedEntries.SALT, 1, NOW, NOW + 60, true, val);
        VerifiedRecord record = verify(FeedEntries.key(STRANGER.publicKey()), lifted);
        refused(() -> FEED.open(record, GATEWAY), ErrorCode.AUTHOR_MISMATCH);
    }

    @Test
    void anEntryStoredAtAnotherSeqThanItsNIsMalformed() throws Exception {
        FeedEntry entry = FeedChain.genesis().nextEntry(readings(1));
        String token = Records.sign(DEVICE, FeedEntries.SALT, 2, NOW, NOW + 60, true, TextNode.valueOf(jweOf(entry)));
        VerifiedRecord record = verify(FeedEntries.key(DEVICE.publicKey()), token);
        refused(() -> FEED.open(record, GATEWAY), ErrorCode.MALFORMED);
    }

    @Test
    void aRecordThatIsNotAFeedEntryIsMalformed() throws Exception {
        FeedEntry entry = FeedChain.genesis().nextEntry(readings(1));
        TextNode jwe = TextNode.valueOf(jweOf(entry));
        VerifiedRecord otherSalt = verify(
                RecordKey.of(DEVICE.publicKey(), "feed2"), Records.sign(DEVICE, "feed2", 1, NOW, NOW + 60, true, jwe));
        refused(() -> FEED.open(otherSalt, GATEWAY), ErrorCode.MALFORMED);
        VerifiedRecord slot = verify(
                FeedEntries.key(DEVICE.publicKey()),
                Records.sign(DEVICE, FeedEntries.SALT, 1, NOW, NOW + 60, false, jwe));
        refused(() -> FEED.open(slot, GATEWAY), ErrorCode.MALFORMED);
        VerifiedRecord plain = verify(
                FeedEntries.key(DEVICE.publicKey()),
                Records.sign(DEVICE, FeedEntries.SALT, 1, NOW, NOW + 60, true, entry.toJson()));
        refused(() -> FEED.open(plain, GATEWAY), ErrorCode.MALFORMED);
        String notAnEntry = Jwe.standard()
                .encrypt(GATEWAY.publicKey(), "{\"n\":1}".getBytes(StandardCharsets.UTF_8), DEVICE.account());
        VerifiedRecord garbage = verify(
                FeedEntries.key(DEVICE.publicKey()),
                Records.sign(DEVICE, FeedEntries.SALT, 1, NOW, NOW + 60, true, TextNode.valueOf(notAnEntry)));
        refused(() -> FEED.open(garbage, GATEWAY), ErrorCode.MALFORMED);
    }
}
