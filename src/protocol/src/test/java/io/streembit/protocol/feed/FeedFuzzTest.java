package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RandomJson;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.feed.FeedFixtures.NOW;
import static io.streembit.protocol.feed.FeedFixtures.NOW_INSTANT;
import static io.streembit.protocol.feed.FeedFixtures.VALIDATOR;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random and mutated feed entries, commands and results: parsers fail only with
 * ProtocolException and what they accept is exactly what the input says; a sealed entry whose
 * token or ciphertext was modified never opens to anything but the original.
 */
class FeedFuzzTest {
    private static final long SEED = 0xFEED_F022L;
    private static final String JSONISH = "{}[]\",:0123456789-+.eEtrufalsn \\u00ff\u00e9x$";
    private static final String B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private interface Parser {
        JsonNode parse(byte[] bytes) throws ProtocolException;
    }

    private static final List<Parser> PARSERS = List.of(
            b -> FeedEntry.parse(b).toJson(),
            b -> Command.parse(b).toJson(),
            b -> CommandResult.fromJson(Json.parse(b, "result")).toJson(),
            b -> Reading.fromJson(Json.parse(b, "reading")).toJson());

    private static final List<String> SAMPLES = List.of(
            Json.text(FeedChain.genesis()
                    .nextEntry(List.of(
                            new Reading("t", 5, json("21.5")),
                            CommandResult.ok("c-1", json("{\"a\":[true,null]}")).toReading(6)))
                    .toJson()),
            Json.text(new Command("c-1", "switch", json("{\"on\":false,\"level\":0.25}"), NOW + 60).toJson()),
            Json.text(CommandResult.rejected("c-2", "expired").toJson()),
            Json.text(new Reading("humidity", 1764000000000L, json("[1,2e3,-0.5]")).toJson()));

    @Test
    void mutatedAndRandomPayloadsAreRefusedOnlyWithProtocolExceptionAndNeverAltered() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            int which = random.nextInt(PARSERS.size());
            String text = random.nextInt(4) == 0
                    ? Json.text(RandomJson.value(random, 3, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"))
                    : mutate(random, SAMPLES.get(which), JSONISH);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                JsonNode written = PARSERS.get(which).parse(bytes);
                assertThat(Json.text(written))
                        .as("seed %d case %d", SEED, i)
                        .isEqualTo(Json.text(Json.parse(bytes, "in")));
                accepted++;
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + SEED + " case " + i + " threw " + e + " for " + text, e);
            }
        }
        assertThat(accepted).as("accepted mutations").isGreaterThan(50);
    }

    @Test
    void aModifiedFeedRecordOrCiphertextNeverOpensToOtherContent() throws Exception {
        Random random = new Random(SEED + 1);
        FeedEntries feed = FeedEntries.standard();
        FeedEntry entry = FeedChain.genesis().nextEntry(FeedFixtures.readings(19.5));
        String original = feed.seal(DEVICE, GATEWAY.publicKey(), entry, NOW, NOW + 600);
        String jwe = Json.parse(Base64Url.decode(original.split("\\.")[1], "p"), "p")
                .get("val")
                .textValue();
        NodeId key = FeedEntries.key(DEVICE.publicKey());
        for (int i = 0; i < 1000; i++) {
            String token;
            boolean resignedCiphertext = random.nextBoolean();
            if (resignedCiphertext) {
                // The device itself signs a modified ciphertext: the signature is fine, the JWE is not.
                String changed = mutate(random, jwe, B64U + ".");
                token = Records.sign(DEVICE, FeedEntries.SALT, 1, NOW, NOW + 600, true, TextNode.valueOf(changed));
            } else {
                token = mutate(random, original, B64U + ".");
            }
            try {
                VerifiedRecord record = VALIDATOR.validate(key, token, NOW_INSTANT);
                FeedEntry opened = feed.open(record, GATEWAY);
                assertThat(opened.toBytes()).as("seed %d case %d", SEED + 1, i).isEqualTo(entry.toBytes());
                assertThat(record.payload().val().textValue())
                        .as("seed %d case %d", SEED + 1, i)
                        .isEqualTo(jwe);
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + (SEED + 1) + " case " + i + " threw " + e + " for " + token, e);
            }
        }
    }

    private static String mutate(Random random, String text, String alphabet) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, c);
                case 1 -> out.insert(at, c);
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }
}
