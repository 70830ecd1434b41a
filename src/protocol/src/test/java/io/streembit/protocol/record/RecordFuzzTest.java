package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.jose.Jws;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.BOB;
import static io.streembit.protocol.record.RecordFixtures.NOW;
import static io.streembit.protocol.record.RecordFixtures.NOW_INSTANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random mutations of record tokens and payloads: the validator and the parser fail only
 * with ProtocolException, and a token that validates after mutation is the original one.
 */
class RecordFuzzTest {
    private static final long SEED = 0x5EED_2EC0_4DL;
    private static final int CASES = 3000;
    private static final String B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String JSONISH = "{}[]\",:0123456789-+.eEtrufalsn \\u00ff\u00e9x";
    private static final RecordValidator VALIDATOR = new RecordValidator(RecordLimits.DEFAULTS);

    private static final String SLOT = Records.sign(
            ALICE,
            "td",
            3,
            NOW,
            NOW + 600,
            false,
            RecordFixtures.json("{\"title\":\"Lamp\",\"n\":[1,2.5,-3e2,null,true]}"));
    private static final String LOG = Records.sign(
            ALICE,
            "feed",
            9,
            NOW,
            NOW + 600,
            true,
            RecordFixtures.json("\"eyJhbGciOiJFQ0RILUVTIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA\""));

    @Test
    void mutatedTokensAreRefusedWithAProtocolExceptionOrAreTheOriginal() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String original = random.nextBoolean() ? SLOT : LOG;
            NodeId key =
                    original == SLOT ? RecordKey.of(ALICE.publicKey(), "td") : RecordKey.of(ALICE.publicKey(), "feed");
            String mutated = mutateToken(random, original);
            try {
                VerifiedRecord record = VALIDATOR.validate(key, mutated, NOW_INSTANT);
                assertThat(mutated)
                        .as("seed %d case %d accepted a modified token", SEED, i)
                        .isEqualTo(original);
                assertThat(record.token()).isEqualTo(original);
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + SEED + " case " + i + " threw " + e + " for " + mutated, e);
            }
        }
    }

    @Test
    void mutatedPayloadsFailOnlyWithProtocolExceptionAndWhatIsAcceptedIsExactlyWhatWasSigned() throws Exception {
        Random random = new Random(SEED + 1);
        Jws jws = Jws.standard();
        String base = new String(Base64Url.decode(SLOT.split("\\.")[1], "payload"), StandardCharsets.UTF_8);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutateText(random, base, JSONISH);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            RecordPayload parsed;
            try {
                parsed = RecordPayload.parse(bytes);
            } catch (ProtocolException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("seed " + (SEED + 1) + " case " + i + " threw " + e + " for " + text, e);
                return;
            }
            // The parsed payload says exactly what the bytes say: nothing dropped or altered
            // (compared in the mapper's own writing, which spells equal numbers alike).
            assertThat(Json.text(Json.parse(parsed.toBytes(), "re-read")))
                    .as("seed %d case %d", SEED + 1, i)
                    .isEqualTo(Json.text(Json.parse(bytes, "mutated")));
            // Signed by its pub, it validates to that same content, or is refused for a reason.
            String token = jws.sign(ALICE, Records.TYP, bytes);
            try {
                VerifiedRecord record = VALIDATOR.validate(parsed.key(), token, NOW_INSTANT);
                assertThat(record.payload()).isEqualTo(parsed);
                accepted++;
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + (SEED + 1) + " case " + i + " threw " + e + " for " + text, e);
            }
        }
        // The mutations must exercise the accepting path too, or the assertions above prove little.
        assertThat(accepted).as("accepted mutations").isGreaterThan(10);
    }

    @Test
    void randomJsonIsRefusedOnlyWithProtocolException() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < CASES; i++) {
            JsonNode node = RandomJson.value(random, 3, ALICE.publicKey().hex());
            try {
                RecordPayload.fromJson(node);
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + (SEED + 2) + " case " + i + " threw " + e + " for " + node, e);
            }
        }
    }

    static String mutateToken(Random random, String token) {
        String[] parts = token.split("\\.", -1);
        switch (random.nextInt(8)) {
            case 0:
                return mutateText(random, token, B64U + ".=+/ ");
            case 1: { // re-encode the payload with a small change, keeping the signature
                String payload = new String(decode(parts[1]), StandardCharsets.UTF_8);
                String changed = mutateText(random, payload, JSONISH);
                return parts[0] + "." + Base64Url.encode(changed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            }
            case 2: // another signer's valid signature over the same payload
                return Jws.standard().sign(BOB, Records.TYP, decode(parts[1]));
            case 3: // parts swapped or dropped
                return random.nextBoolean() ? parts[1] + "." + parts[0] + "." + parts[2] : parts[0] + "." + parts[1];
            case 4: // the other record's signature
                String other = token == SLOT ? LOG : SLOT;
                return parts[0] + "." + parts[1] + "." + other.split("\\.")[2];
            case 5: // truncation
                return token.substring(0, random.nextInt(token.length()));
            case 6: { // one bit flipped in a decoded part
                int which = random.nextInt(3);
                byte[] bytes = decode(parts[which]);
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                parts[which] = Base64Url.encode(bytes);
                return String.join(".", parts);
            }
            default:
                return token;
        }
    }

    static String mutateText(Random random, String text, String alphabet) {
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

    private static byte[] decode(String part) {
        try {
            return Base64Url.decode(part, "part");
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }
}
