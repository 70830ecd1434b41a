package io.streembit.gateway.ingest;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.device.Things;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the gateway lets through to its sinks: only an entry of the served device, for this
 * gateway, linked to the cursor, every reading valid against the TD. Every refusal names its
 * reason and leaves a chain the rest of the feed can continue from.
 */
class BatchOpenerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final Identity DEVICE = Identity.generate(RANDOM);
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final long TS = 1_764_583_200_000L;
    private static final FeedEntries ENTRIES = FeedEntries.standard();
    private static final RecordValidator VALIDATOR = new RecordValidator(RecordLimits.DEFAULTS);

    private final ServedDevice device = new ServedDevice(DEVICE.account(), DEVICE.publicKey(), td(), 0, null);
    private final BatchOpener opener = new BatchOpener(GATEWAY, ENTRIES);

    /** The thermostat's TD with one string property of at most 16 characters. */
    private static ThingDescription td() {
        ObjectNode json = Things.forDevice("thermostat", DEVICE.account()).json();
        ObjectNode firmware = ((ObjectNode) json.get("properties")).putObject("firmware");
        firmware.put("type", "string");
        firmware.put("maxLength", 16);
        firmware.put("readOnly", true);
        firmware.putArray("forms").addObject().put("href", "streembit:feed").put("op", "readproperty");
        try {
            return ThingDescription.parse(json);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Reading> temperatures(double... values) {
        return Arrays.stream(values)
                .mapToObj(v -> new Reading("temperature", TS, DoubleNode.valueOf(v)))
                .toList();
    }

    /** The entry sealed by {@code signer} for {@code recipient}, as the DHT layer hands it over. */
    private static VerifiedRecord sealed(Identity signer, PublicKey recipient, FeedEntry entry) {
        return validated(
                signer, ENTRIES.seal(signer, recipient, entry, NOW.getEpochSecond(), NOW.getEpochSecond() + 3600));
    }

    /** A feed record of {@code signer} at {@code seq} whose JWE holds {@code plaintext}, written by {@code author}. */
    private static VerifiedRecord raw(Identity signer, long seq, byte[] plaintext, Identity author) {
        String jwe = Jwe.standard().encrypt(GATEWAY.publicKey(), plaintext, author.account());
        RecordPayload payload = new RecordPayload(
                signer.publicKey(),
                FeedEntries.SALT,
                seq,
                NOW.getEpochSecond(),
                NOW.getEpochSecond() + 3600,
                true,
                TextNode.valueOf(jwe));
        return validated(signer, Records.sign(signer, payload));
    }

    private static VerifiedRecord validated(Identity signer, String token) {
        try {
            return VALIDATOR.validate(FeedEntries.key(signer.publicKey()), token, NOW);
        } catch (ProtocolException e) {
            throw new AssertionError("the record does not validate: " + e.getMessage(), e);
        }
    }

    private BatchOpener.Refused refused(VerifiedRecord record, FeedChain chain, String reason) {
        BatchOpener.Outcome outcome = opener.open(device, record, chain, NOW);
        assertThat(outcome).isInstanceOf(BatchOpener.Refused.class);
        BatchOpener.Refused refused = (BatchOpener.Refused) outcome;
        assertThat(refused.rejection().reason()).isEqualTo(reason);
        return refused;
    }

    @Test
    void theNextEntryOfTheServedDeviceOpensAsAVerifiedBatch() {
        FeedEntry entry = FeedChain.genesis().nextEntry(temperatures(21.0, 21.5));
        VerifiedRecord record = sealed(DEVICE, GATEWAY.publicKey(), entry);

        BatchOpener.Outcome outcome = opener.open(device, record, FeedChain.genesis(), NOW);

        assertThat(outcome).isInstanceOf(BatchOpener.Opened.class);
        BatchOpener.Opened opened = (BatchOpener.Opened) outcome;
        VerifiedBatch batch = opened.batch();
        assertThat(batch.deviceId()).isEqualTo(DEVICE.account());
        assertThat(batch.seq()).isEqualTo(1);
        assertThat(batch.readings())
                .extracting(Reading::name, Reading::ts, r -> r.value().asDouble())
                .containsExactly(tuple("temperature", TS, 21.0), tuple("temperature", TS, 21.5));
        assertThat(batch.tdId()).isEqualTo(device.td().id());
        assertThat(batch.publishedAtSeconds()).isEqualTo(NOW.getEpochSecond());
        assertThat(batch.receivedAt()).isEqualTo(NOW);
        // the cursor the sink commits is the link entry 2 must carry
        assertThat(opened.next()).isEqualTo(FeedChain.after(1, record.token()));
        assertThat(batch.tokenHash()).isEqualTo(opened.next().lastHash());

        FeedEntry second = opened.next().nextEntry(temperatures(22.0));
        assertThat(opener.open(device, sealed(DEVICE, GATEWAY.publicKey(), second), opened.next(), NOW))
                .isInstanceOf(BatchOpener.Opened.class);
    }

    @Test
    void anEntryTheCursorCoversIsStaleNotRoutedAgain() {
        VerifiedRecord first =
                sealed(DEVICE, GATEWAY.publicKey(), FeedChain.genesis().nextEntry(temperatures(20.0)));
        FeedChain afterFirst = FeedChain.after(1, first.token());
        VerifiedRecord second = sealed(DEVICE, GATEWAY.publicKey(), afterFirst.nextEntry(temperatures(20.5)));
        FeedChain afterSecond = FeedChain.after(2, second.token());

        assertThat(opener.open(device, second, afterSecond, NOW)).isEqualTo(new BatchOpener.Stale(2));
        assertThat(opener.open(device, first, afterSecond, NOW)).isEqualTo(new BatchOpener.Stale(1));
    }

    @Test
    void aRecordSignedByAnotherKeyIsRefused() {
        Identity other = Identity.generate(RANDOM);
        VerifiedRecord record =
                sealed(other, GATEWAY.publicKey(), FeedChain.genesis().nextEntry(temperatures(20.0)));

        BatchOpener.Refused refused = refused(record, FeedChain.genesis(), "not-allowed");
        assertThat(refused.rejection().getMessage()).contains(other.nodeId().hex());
        assertThat(refused.next()).isEqualTo(FeedChain.after(1, record.token()));
    }

    @Test
    void anEntryWrittenByAnotherDeviceInsideTheServedDevicesRecordIsRefused() {
        // the record is the device's, but the JWE inside names another author: a replayed payload
        FeedEntry entry = FeedChain.genesis().nextEntry(temperatures(20.0));
        VerifiedRecord record = raw(DEVICE, 1, entry.toBytes(), Identity.generate(RANDOM));

        refused(record, FeedChain.genesis(), "author-mismatch");
    }

    @Test
    void anEntryForAnotherGatewayIsRefusedAndTheNextEntryLinksPastIt() {
        VerifiedRecord record = sealed(
                DEVICE,
                Identity.generate(RANDOM).publicKey(),
                FeedChain.genesis().nextEntry(temperatures(20.0)));

        BatchOpener.Refused refused = refused(record, FeedChain.genesis(), "decrypt-failed");

        // the device links entry 2 to entry 1's token whatever was inside it: the feed goes on
        assertThat(refused.next()).isEqualTo(FeedChain.after(1, record.token()));
        VerifiedRecord next = sealed(DEVICE, GATEWAY.publicKey(), refused.next().nextEntry(temperatures(21.0)));
        assertThat(opener.open(device, next, refused.next(), NOW)).isInstanceOf(BatchOpener.Opened.class);
    }

    @Test
    void anEntryThatDoesNotLinkToTheCursorIsAFork() {
        VerifiedRecord first =
                sealed(DEVICE, GATEWAY.publicKey(), FeedChain.genesis().nextEntry(temperatures(20.0)));
        FeedChain cursor = FeedChain.after(1, first.token());
        FeedEntry unlinked = new FeedEntry(2, FeedChain.hashOf("another history"), temperatures(20.5));
        VerifiedRecord record = sealed(DEVICE, GATEWAY.publicKey(), unlinked);

        BatchOpener.Refused refused = refused(record, cursor, "fork");
        assertThat(refused.rejection().getMessage()).contains("does not link to entry 1");
        assertThat(refused.next()).isEqualTo(FeedChain.after(2, record.token()));
    }

    @Test
    void anEntryStoredAtAnotherSeqThanItsNumberIsMalformed() {
        FeedEntry entryTwo = new FeedEntry(2, FeedChain.hashOf("entry 1"), temperatures(20.0));
        VerifiedRecord record = raw(DEVICE, 1, entryTwo.toBytes(), DEVICE);

        refused(record, FeedChain.genesis(), "malformed");
    }

    @Test
    void aReadingOutsideTheTdRefusesTheWholeBatchButKeepsTheChain() {
        // 21.0 is fine; 500 is above the thermostat's maximum of 85
        FeedEntry entry = FeedChain.genesis().nextEntry(temperatures(21.0, 500.0));
        VerifiedRecord record = sealed(DEVICE, GATEWAY.publicKey(), entry);

        BatchOpener.Refused refused = refused(record, FeedChain.genesis(), "schema-violation");

        assertThat(refused.rejection().getMessage()).startsWith("reading 1 (temperature): ");
        assertThat(refused.next()).isEqualTo(FeedChain.after(1, record.token()));
    }

    @Test
    void aReadingOfAPropertyTheTdDoesNotHaveIsRefused() {
        FeedEntry entry = FeedChain.genesis().nextEntry(List.of(new Reading("pressure", TS, DoubleNode.valueOf(1.0))));

        BatchOpener.Refused refused =
                refused(sealed(DEVICE, GATEWAY.publicKey(), entry), FeedChain.genesis(), "schema-violation");
        assertThat(refused.rejection().getMessage()).startsWith("reading 0 (pressure): ");
    }

    @Test
    void aReadingLongerThanItsTdAllowsIsRefused() {
        FeedEntry entry = FeedChain.genesis()
                .nextEntry(List.of(
                        new Reading("firmware", TS, TextNode.valueOf("1.2.3")),
                        new Reading("firmware", TS, TextNode.valueOf("x".repeat(17)))));

        BatchOpener.Refused refused =
                refused(sealed(DEVICE, GATEWAY.publicKey(), entry), FeedChain.genesis(), "schema-violation");
        assertThat(refused.rejection().getMessage())
                .startsWith("reading 1 (firmware): ")
                .contains("maxLength 16");
    }

    @Test
    void aReadingNameOverTheProtocolsLimitIsMalformed() {
        // a reading name of 129 characters cannot be built with Reading: write the plaintext by hand
        ObjectNode plaintext = FeedChain.genesis().nextEntry(temperatures(20.0)).toJson();
        ((ObjectNode) plaintext.get("readings").get(0)).put("name", "t".repeat(Reading.MAX_NAME_CHARS + 1));
        VerifiedRecord record = raw(DEVICE, 1, Json.bytes(plaintext), DEVICE);

        BatchOpener.Refused refused = refused(record, FeedChain.genesis(), "malformed");
        assertThat(refused.rejection().getMessage()).contains("reading name");
    }

    @Test
    void aRefusalDetailDoesNotRepeatItsReason() {
        VerifiedRecord record = raw(DEVICE, 1, "not json".getBytes(StandardCharsets.UTF_8), DEVICE);

        BatchOpener.Refused refused = refused(record, FeedChain.genesis(), "malformed");
        assertThat(refused.rejection().getMessage()).doesNotStartWith("malformed");
    }

    @Test
    void anEntryOfferedPastTheNextOneIsABugNotARefusal() {
        VerifiedRecord first =
                sealed(DEVICE, GATEWAY.publicKey(), FeedChain.genesis().nextEntry(temperatures(20.0)));
        FeedEntry third = new FeedEntry(3, FeedChain.hashOf("entry 2"), temperatures(20.0));
        VerifiedRecord record = sealed(DEVICE, GATEWAY.publicKey(), third);

        assertThatThrownBy(() -> opener.open(device, record, FeedChain.after(1, first.token()), NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("delivers in order");
    }
}
