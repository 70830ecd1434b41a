package io.streembit.protocol.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.record.VerifiedRecord;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-exact feed and command vectors printed in docs/protocol.md section 6. JWE needs
 * randomness (the ephemeral key and the IV); here it is scripted, and the script is part of
 * the vector. The literals are checked against independent computations: the chain hash with
 * the JDK's SHA-256, the ciphertext by decrypting it with Bouncy Castle point arithmetic, a
 * hand-written Concat KDF and the JDK's AES-GCM.
 */
class PayloadVectorsTest {
    static final long IAT = 1_764_000_000L;
    static final String E1 = "11".repeat(32);
    static final String IV1 = "000102030405060708090a0b";
    static final String E2 = "22".repeat(32);
    static final String IV2 = "0c0d0e0f1011121314151617";
    static final String E3 = "33".repeat(32);
    static final String IV3 = "18191a1b1c1d1e1f20212223";

    static final FeedEntry ENTRY1 = new FeedEntry(
            1, FeedChain.GENESIS_PREV, List.of(new Reading("temperature", 1_764_000_000_000L, json("21.5"))));
    static final String TOKEN1 =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2"
                    + "YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJzdHJlZW1iaXQucmVjb3JkIn0.eyJwdWIiOiIwMjYwNTEzNmZiMmVjMzlmNGEw"
                    + "MzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJzYWx0IjoiZmVlZCIsInNlcSI6MSwi"
                    + "aWF0IjoxNzY0MDAwMDAwLCJleHAiOjE3NjQwMDM2MDAsImxvZyI6dHJ1ZSwidmFsIjoiZXlKaGJHY2lPaUpGUTBSSUxVVlRJ"
                    + "aXdpWlc1aklqb2lRVEkxTmtkRFRTSXNJbVZ3YXlJNmV5SnJkSGtpT2lKRlF5SXNJbU55ZGlJNkluTmxZM0F5TlRack1TSXNJ"
                    + "bmdpT2lKVWVsWmlNMHhtVFVOMlkyODNlbnBQZFZkR1pHdEhhRXgwWWt4TFdEUlhZWE5RUXpOQ1FXUlpZMkZ2SWl3aWVTSTZJ"
                    + "azlHZEhKSE5EWjBaMHA1YldSR1ZGcGhSRjlRU3paQk1GWjBZaTFNUlhFdFMzZG1keTA1ZFhrNFkwVWlmU3dpYVhOeklqb2lN"
                    + "R05pTldZM1l6QmlOR0ZpWldZd1l6YzJZelUzTVRrNU9XRTJaV015T0RJeU56STJOR1prWXlKOS4uQUFFQ0F3UUZCZ2NJQ1Fv"
                    + "TC5yY2Z1WDRNRDFvRVZqRXZ2OUpESGQzYzdDc0VLMFMxaGNZQ0pPaVhmXzZISUNPOWN3cjRQdTJUQkVpaGZqSzQtdHlPMWg2"
                    + "TkhOLXMzcU1MRlN5MXBFWVJnTFhIY0ZTTUVOUXhQLWN2Vk44YzFrQXEwTFdxNUFFb3ozTm1fTjBNUTRxcTZHS1VIZTJtMDBU"
                    + "aHFRX1Ryek8xZk5SNUZoT0dGZEZEZjhheG9wUTAuZzB0MUpINUhWS3FTVXVTVWJKejJNZyJ9.yv_9U-MkJeS3W5FuB6yiqys"
                    + "4eolOJZ7TvEOh7sufkdBcw4iHYeNwx6WEVvHjmgC2aBdQ1iUFZ6y46Lt1rDD4cg";
    static final String TOKEN2 =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2"
                    + "YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJzdHJlZW1iaXQucmVjb3JkIn0.eyJwdWIiOiIwMjYwNTEzNmZiMmVjMzlmNGEw"
                    + "MzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJzYWx0IjoiZmVlZCIsInNlcSI6Miwi"
                    + "aWF0IjoxNzY0MDAwMDYwLCJleHAiOjE3NjQwMDM2NjAsImxvZyI6dHJ1ZSwidmFsIjoiZXlKaGJHY2lPaUpGUTBSSUxVVlRJ"
                    + "aXdpWlc1aklqb2lRVEkxTmtkRFRTSXNJbVZ3YXlJNmV5SnJkSGtpT2lKRlF5SXNJbU55ZGlJNkluTmxZM0F5TlRack1TSXNJ"
                    + "bmdpT2lKU2JURmZlWFZXYWpWamMwcHZUa2RJUXpkWFFVNUZaMFZaV0dnMWIxVnNTbnA1U1c5WWVIVjFVSGxqSWl3aWVTSTZJ"
                    + "bHA1WjFoaVJIaHJUV1pxZFRKclZUUXpSR1pKV21WS05GUjZjV1ZrT1VKRk9IbzFRV1ExWm1oS05HOGlmU3dpYVhOeklqb2lN"
                    + "R05pTldZM1l6QmlOR0ZpWldZd1l6YzJZelUzTVRrNU9XRTJaV015T0RJeU56STJOR1prWXlKOS4uREEwT0R4QVJFaE1VRlJZ"
                    + "WC5wTHVBVE00S0N0MTJpcVZ5QmFYWkl5WVdTSW1hRTVYanhUTVNDeDFoZ1V1dld2ZEN6Q0pCRnNXdjdwejljM0tJQVpTUnQ4"
                    + "aXZudFVlRjhrTnNnX2cxd0tIY2ZIazZRTGNPNTFlLThVWG1tRm8yZlZzcHhaN0xpSGVGSHMtRm1ZVElRVHZYajF4SXRQdFYy"
                    + "b3NUNUdnaV9DWDJfXy1tdmp5VC1WV29hSzY3bzh2Lk5wS0dZTDJZVFFPMWR0akhEaGozemcifQ.XaQmEuaWpAKisk4F296DM"
                    + "w8anF92R6LVNH-fBQkIEB8phk-7OG_yIAQQ5Xc5ogKL8Q4S7q6SrxZJb4N7b6Cujw";
    static final Command COMMAND = new Command("c-1", "switch", json("{\"on\":true}"), IAT + 300);
    static final String COMMAND_TOKEN =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMmY5NTAyZDU0MGNhN2Q1YWIwOWVhODllODM4ODlmYTRiY2QwYjI3ZjdlZWM1NzUy"
                    + "ZjRmYTA3YjFiMTkxNjBmM2IiLCJ0eXAiOiJzdHJlZW1iaXQucmVjb3JkIn0.eyJwdWIiOiIwMmY5NTAyZDU0MGNhN2Q1YWIw"
                    + "OWVhODllODM4ODlmYTRiY2QwYjI3ZjdlZWM1NzUyZjRmYTA3YjFiMTkxNjBmM2IiLCJzYWx0IjoiY21kLzBjYjVmN2MwYjRh"
                    + "YmVmMGM3NmM1NzE5OTlhNmVjMjgyMjcyNjRmZGMiLCJzZXEiOjEsImlhdCI6MTc2NDAwMDAwMCwiZXhwIjoxNzY0MDAwMzAw"
                    + "LCJsb2ciOnRydWUsInZhbCI6ImV5SmhiR2NpT2lKRlEwUklMVVZUSWl3aVpXNWpJam9pUVRJMU5rZERUU0lzSW1Wd2F5STZl"
                    + "eUpyZEhraU9pSkZReUlzSW1OeWRpSTZJbk5sWTNBeU5UWnJNU0lzSW5naU9pSlFTRXQwTWpCZlprTmhMVlU0VFd4T1ppMXJj"
                    + "VTlIY0MxalRTMUxTRmxYVWxrMFlUZEtWRmhJYzJKRklpd2llU0k2SWs5NlFuSkVMVU5HV213eVVIZGlTMHMwVjJSek1EWXhk"
                    + "VU5QY25SdmFWZ3RUMDVFWVZSbFZsaEJMVUVpZlN3aWFYTnpJam9pTkRnek16QmxPVEl5WVdNeU56UXhOR00wWW1ObVpXSXhN"
                    + "elU1WldOalpHVTNPREUxTVdRM1lTSjkuLkdCa2FHeHdkSGg4Z0lTSWouMkRHUHNvd2JmbHFJREZ2YTlJeXUtQmVSSXpWODRl"
                    + "a05oYVdYUkNveWNiQnY2NnR3OXFXN2t3eGtRRlBQaDBDaUM1RDNBejUtYzZnSk1YRlpxRjgwVmJib1lBLm9qMXkzTkUwX3Zv"
                    + "b3IzTHM0RUVuYWcifQ.kmDtQi03wh3DND4DSxeb7DAAG56UBIEebm5NJRnOrbQd0SOsr3hY9sAwO6ljIVLpMKAYp6y7OtKOZ"
                    + "lC1JyhbtQ";

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    /** SecureRandom that hands out exactly the scripted byte strings, in order. */
    static final class ScriptedRandom extends SecureRandom {
        private final Deque<byte[]> script = new ArrayDeque<>();

        ScriptedRandom(String... hex) {
            for (String h : hex) {
                script.add(java.util.HexFormat.of().parseHex(h));
            }
        }

        @Override
        public void nextBytes(byte[] bytes) {
            byte[] next = script.removeFirst();
            if (next.length != bytes.length) {
                throw new IllegalStateException("script has " + next.length + " bytes, asked for " + bytes.length);
            }
            System.arraycopy(next, 0, bytes, 0, bytes.length);
        }
    }

    private static FeedEntry entry2(String token1) {
        return new FeedEntry(
                2, FeedChain.hashOf(token1), List.of(new Reading("temperature", 1_764_000_060_000L, json("21.75"))));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theScriptedFeedAndCommandAreTheVectors(Secp256k1 backend) {
        FeedEntries feed = new FeedEntries(new Jws(backend), new Jwe(backend, new ScriptedRandom(E1, IV1, E2, IV2)));
        String token1 = feed.seal(DEVICE, GATEWAY.publicKey(), ENTRY1, IAT, IAT + 3600);
        assertThat(token1).isEqualTo(TOKEN1);
        String token2 = feed.seal(DEVICE, GATEWAY.publicKey(), entry2(token1), IAT + 60, IAT + 3660);
        assertThat(token2).isEqualTo(TOKEN2);
        Commands commands = new Commands(new Jws(backend), new Jwe(backend, new ScriptedRandom(E3, IV3)));
        assertThat(commands.seal(GATEWAY, DEVICE.publicKey(), 1, COMMAND, IAT)).isEqualTo(COMMAND_TOKEN);
    }

    @Test
    void theVectorsOpenAndChain() throws Exception {
        FeedEntries feed = FeedEntries.standard();
        VerifiedRecord r1 = FeedFixtures.verify(FeedEntries.key(DEVICE.publicKey()), TOKEN1);
        VerifiedRecord r2 = FeedFixtures.verify(FeedEntries.key(DEVICE.publicKey()), TOKEN2);
        ChainStep step1 = FeedChain.genesis().append(feed.open(r1, GATEWAY), TOKEN1);
        ChainStep step2 = ((ChainStep.Linked) step1).chain().append(feed.open(r2, GATEWAY), TOKEN2);
        assertThat(((ChainStep.Linked) step2).chain().lastN()).isEqualTo(2);
        VerifiedRecord cmd = FeedFixtures.verify(Commands.key(GATEWAY.publicKey(), DEVICE.publicKey()), COMMAND_TOKEN);
        assertThat(Commands.standard().open(cmd, DEVICE, GATEWAY.publicKey()::equals, FeedFixtures.NOW_INSTANT))
                .isEqualTo(COMMAND);
    }

    @Test
    void entryTwoLinksToTheSha256OfTokenOne() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(TOKEN1.getBytes(StandardCharsets.US_ASCII));
        String prev = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        assertThat(independentlyDecrypt(valOf(TOKEN2), GATEWAY, E2)).contains("\"n\":2,\"prev\":\"" + prev + "\"");
    }

    @Test
    void theCiphertextsDecryptIndependently() throws Exception {
        assertThat(independentlyDecrypt(valOf(TOKEN1), GATEWAY, E1))
                .isEqualTo(new String(ENTRY1.toBytes(), StandardCharsets.UTF_8));
        assertThat(independentlyDecrypt(valOf(COMMAND_TOKEN), DEVICE, E3)).isEqualTo(Json.text(COMMAND.toJson()));
    }

    private static String valOf(String token) throws ProtocolException {
        return Json.parse(Base64Url.decode(token.split("\\.")[1], "payload"), "payload")
                .get("val")
                .textValue();
    }

    /**
     * ECDH-ES + A256GCM by hand (RFC 7518 4.6): Z = x(d * EPK), CEK = SHA-256(00000001 || Z ||
     * len("A256GCM") || "A256GCM" || 0 || 0 || 256), AES-GCM with the header's ASCII as AAD.
     * Also checks the header's epk is the scripted ephemeral key's public point.
     */
    private static String independentlyDecrypt(String jwe, Identity recipient, String ephemeralHex) throws Exception {
        String[] parts = jwe.split("\\.", -1);
        JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        ECPoint expectedEpk =
                curve.getG().multiply(new BigInteger(ephemeralHex, 16)).normalize();
        byte[] x = Base64.getUrlDecoder().decode(header.get("epk").get("x").asText());
        byte[] y = Base64.getUrlDecoder().decode(header.get("epk").get("y").asText());
        assertThat(new BigInteger(1, x)).isEqualTo(expectedEpk.getAffineXCoord().toBigInteger());
        assertThat(new BigInteger(1, y)).isEqualTo(expectedEpk.getAffineYCoord().toBigInteger());

        BigInteger d = new BigInteger(1, recipient.privateKey().exportSecret());
        ECPoint shared = curve.getCurve()
                .createPoint(new BigInteger(1, x), new BigInteger(1, y))
                .multiply(d)
                .normalize();
        byte[] z = fixed32(shared.getAffineXCoord().toBigInteger());
        ByteArrayOutputStream kdf = new ByteArrayOutputStream();
        kdf.write(new byte[] {0, 0, 0, 1});
        kdf.write(z);
        kdf.write(ByteBuffer.allocate(4).putInt(7).array());
        kdf.write("A256GCM".getBytes(StandardCharsets.US_ASCII));
        kdf.write(new byte[8]);
        kdf.write(ByteBuffer.allocate(4).putInt(256).array());
        byte[] cek = MessageDigest.getInstance("SHA-256").digest(kdf.toByteArray());

        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(cek, "AES"),
                new GCMParameterSpec(128, Base64.getUrlDecoder().decode(parts[2])));
        gcm.updateAAD(parts[0].getBytes(StandardCharsets.US_ASCII));
        byte[] ciphertext = Base64.getUrlDecoder().decode(parts[3]);
        byte[] tag = Base64.getUrlDecoder().decode(parts[4]);
        byte[] both = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
        System.arraycopy(tag, 0, both, ciphertext.length, tag.length);
        return new String(gcm.doFinal(both), StandardCharsets.UTF_8);
    }

    private static byte[] fixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
