package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import static io.streembit.protocol.jose.Forge.join;
import static io.streembit.protocol.jose.Forge.parts;
import static io.streembit.protocol.jose.Forge.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/** JWE ECDH-ES + A256GCM on secp256k1: round trips across backends, and every tampering refused. */
class JweTest {
    private static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    private static final byte[] PLAINTEXT =
            "{\"n\":7,\"readings\":[{\"name\":\"t\",\"ts\":1,\"value\":3}]}".getBytes(StandardCharsets.UTF_8);

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    private static Jwe jwe(Secp256k1 backend) {
        return new Jwe(backend, new SecureRandom());
    }

    private static String forBob(Secp256k1 backend) {
        return jwe(backend).encrypt(BOB.publicKey(), PLAINTEXT, ALICE.account());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aTokenDecryptsForItsRecipientOnEveryBackend(Secp256k1 backend) throws Exception {
        String token = forBob(backend);
        for (Secp256k1 other : Backends.all()) {
            DecryptedJwe decrypted = jwe(other).decrypt(token, BOB);
            assertThat(decrypted.plaintext()).isEqualTo(PLAINTEXT);
            assertThat(decrypted.iss()).isEqualTo(ALICE.account());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theTokenHasTheSpecifiedLayout(Secp256k1 backend) throws Exception {
        String token = forBob(backend);
        String[] p = parts(token);
        assertThat(p).hasSize(5);
        assertThat(p[1]).as("ECDH-ES direct: empty encrypted key").isEmpty();
        assertThat(Base64Url.decode(p[2], "iv")).hasSize(12);
        assertThat(Base64Url.decode(p[3], "ct")).hasSize(PLAINTEXT.length);
        assertThat(Base64Url.decode(p[4], "tag")).hasSize(16);
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        assertThat(header.properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly("alg", "enc", "epk", "iss");
        assertThat(header.get("alg").textValue()).isEqualTo("ECDH-ES");
        assertThat(header.get("enc").textValue()).isEqualTo("A256GCM");
        assertThat(header.get("iss").textValue()).isEqualTo(ALICE.account());
        ObjectNode epk = (ObjectNode) header.get("epk");
        assertThat(epk.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("kty", "crv", "x", "y");
        assertThat(epk.get("kty").textValue()).isEqualTo("EC");
        assertThat(epk.get("crv").textValue()).isEqualTo("secp256k1");
        PublicKey.fromAffine(
                Base64Url.decode(epk.get("x").textValue(), "x"),
                Base64Url.decode(epk.get("y").textValue(), "y"));
        // A fresh ephemeral key and IV each time.
        String again = forBob(backend);
        assertThat(parts(again)[0]).isNotEqualTo(p[0]);
        assertThat(parts(again)[2]).isNotEqualTo(p[2]);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void withoutIssTheHeaderHasNoIss(Secp256k1 backend) throws Exception {
        String token = jwe(backend).encrypt(BOB.publicKey(), PLAINTEXT, null);
        assertThat(Json.parseObject(Base64Url.decode(parts(token)[0], "h"), "h").has("iss"))
                .isFalse();
        assertThat(jwe(backend).decrypt(token, BOB).iss()).isNull();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aWrongRecipientCannotDecrypt(Secp256k1 backend) {
        String token = forBob(backend);
        rejected(ErrorCode.DECRYPT_FAILED, () -> jwe(backend).decrypt(token, ALICE));
        rejected(ErrorCode.DECRYPT_FAILED, () -> jwe(backend).decrypt(token, Identity.generate(new SecureRandom())));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aModifiedHeaderFailsAuthentication(Secp256k1 backend) throws Exception {
        String[] p = parts(forBob(backend));
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        // Another author claimed in the header: the AAD no longer matches.
        ObjectNode otherIss = header.deepCopy();
        otherIss.put("iss", BOB.account());
        // The same JSON meaning in other bytes: the AAD is the encoded header text, not its meaning.
        String spaced = Base64Url.encode(Json.text(header).replace(",", ", ").getBytes(StandardCharsets.UTF_8));
        ObjectNode withTyp = header.deepCopy();
        withTyp.put("typ", "JWE");
        ObjectNode withoutIss = header.deepCopy();
        withoutIss.remove("iss");
        for (String h : List.of(
                Base64Url.encode(Json.bytes(otherIss)),
                spaced,
                Base64Url.encode(Json.bytes(withTyp)),
                Base64Url.encode(Json.bytes(withoutIss)))) {
            rejected(ErrorCode.DECRYPT_FAILED, () -> jwe(backend).decrypt(join(h, p[1], p[2], p[3], p[4]), BOB));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aModifiedIvCiphertextOrTagFailsAuthentication(Secp256k1 backend) throws Exception {
        String[] p = parts(forBob(backend));
        for (int part = 2; part <= 4; part++) {
            int length = Base64Url.decode(p[part], "part").length;
            for (int i = 0; i < length; i++) {
                String[] q = p.clone();
                q[part] = Forge.flipByte(p[part], i);
                rejected(ErrorCode.DECRYPT_FAILED, () -> jwe(backend).decrypt(join(q), BOB));
            }
        }
        // Truncated ciphertext (a byte dropped) and an empty one.
        byte[] ct = Base64Url.decode(p[3], "ct");
        rejected(
                ErrorCode.DECRYPT_FAILED,
                () -> jwe(backend)
                        .decrypt(
                                join(p[0], p[1], p[2], Base64Url.encode(Arrays.copyOf(ct, ct.length - 1)), p[4]), BOB));
        rejected(ErrorCode.DECRYPT_FAILED, () -> jwe(backend).decrypt(join(p[0], p[1], p[2], "", p[4]), BOB));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anEpkOffTheCurveOrOnAnotherCurveIsBadKey(Secp256k1 backend) throws Exception {
        String[] p = parts(forBob(backend));
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        byte[] five = new byte[32];
        five[31] = 5; // x = 5: 5^3 + 7 is not a square mod p, so no point has this x
        ObjectNode offCurve = header.deepCopy();
        ((ObjectNode) offCurve.get("epk")).put("x", Base64Url.encode(five));
        ObjectNode otherCurve = header.deepCopy();
        ((ObjectNode) otherCurve.get("epk")).put("crv", "P-256");
        ObjectNode otherKty = header.deepCopy();
        ((ObjectNode) otherKty.get("epk")).put("kty", "OKP");
        ObjectNode shortX = header.deepCopy();
        ((ObjectNode) shortX.get("epk")).put("x", Base64Url.encode(new byte[31]));
        ObjectNode noY = header.deepCopy();
        ((ObjectNode) noY.get("epk")).remove("y");
        for (ObjectNode h : List.of(offCurve, otherCurve, otherKty, shortX, noY)) {
            rejected(
                    ErrorCode.BAD_KEY,
                    () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(h)), p[1], p[2], p[3], p[4]), BOB));
        }
        ObjectNode withD = header.deepCopy();
        ((ObjectNode) withD.get("epk")).put("d", Base64Url.encode(new byte[32]));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(withD)), p[1], p[2], p[3], p[4]), BOB));
        ObjectNode noEpk = header.deepCopy();
        noEpk.remove("epk");
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(noEpk)), p[1], p[2], p[3], p[4]), BOB));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void otherAlgorithmsAreUnsupported(Secp256k1 backend) throws Exception {
        String[] p = parts(forBob(backend));
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        for (String[] change : List.of(
                new String[] {"alg", "ECDH-ES+A256KW"},
                new String[] {"alg", "RSA-OAEP"},
                new String[] {"alg", "dir"},
                new String[] {"alg", "none"},
                new String[] {"enc", "A128GCM"},
                new String[] {"enc", "A256CBC-HS512"},
                new String[] {"enc", "a256gcm"})) {
            ObjectNode h = header.deepCopy();
            h.put(change[0], change[1]);
            rejected(
                    ErrorCode.UNSUPPORTED_ALG,
                    () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(h)), p[1], p[2], p[3], p[4]), BOB));
        }
        ObjectNode noEnc = header.deepCopy();
        noEnc.remove("enc");
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(noEnc)), p[1], p[2], p[3], p[4]), BOB));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void unexpectedHeaderMembersAreRefused(Secp256k1 backend) throws Exception {
        String[] p = parts(forBob(backend));
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        for (String member : List.of("zip", "crit", "jku", "kid", "p2s")) {
            ObjectNode h = header.deepCopy();
            h.put(member, "x");
            rejected(
                    ErrorCode.BAD_HEADER,
                    () -> jwe(backend).decrypt(join(Base64Url.encode(Json.bytes(h)), p[1], p[2], p[3], p[4]), BOB));
        }
        ObjectNode numericIss = header.deepCopy();
        numericIss.put("iss", 42);
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jwe(backend)
                        .decrypt(join(Base64Url.encode(Json.bytes(numericIss)), p[1], p[2], p[3], p[4]), BOB));
        String duplicate = Base64Url.encode(Json.text(header)
                .replace("{\"alg\":\"ECDH-ES\"", "{\"alg\":\"ECDH-ES\",\"alg\":\"ECDH-ES\"")
                .getBytes(StandardCharsets.UTF_8));
        rejected(ErrorCode.MALFORMED, () -> jwe(backend).decrypt(join(duplicate, p[1], p[2], p[3], p[4]), BOB));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void structuralDefectsAreMalformed(Secp256k1 backend) throws Exception {
        String token = forBob(backend);
        String[] p = parts(token);
        // A non-empty encrypted key would mean key wrapping, which ECDH-ES direct never has.
        rejected(
                ErrorCode.MALFORMED,
                () -> jwe(backend).decrypt(join(p[0], Base64Url.encode(new byte[32]), p[2], p[3], p[4]), BOB));
        rejected(ErrorCode.MALFORMED, () -> jwe(backend).decrypt(join(p[0], "AA", p[2], p[3], p[4]), BOB));
        rejected(ErrorCode.MALFORMED, () -> jwe(backend).decrypt(token + ".", BOB));
        rejected(ErrorCode.MALFORMED, () -> jwe(backend).decrypt(join(p[0], p[1], p[2], p[3]), BOB));
        rejected(ErrorCode.MALFORMED, () -> jwe(backend).decrypt(null, BOB));
        rejected(
                ErrorCode.MALFORMED,
                () -> jwe(backend).decrypt(join(p[0], p[1], Base64Url.encode(new byte[16]), p[3], p[4]), BOB));
        rejected(
                ErrorCode.MALFORMED,
                () -> jwe(backend).decrypt(join(p[0], p[1], p[2], p[3], Base64Url.encode(new byte[15])), BOB));
        rejected(ErrorCode.BAD_ENCODING, () -> jwe(backend).decrypt(token + " ", BOB));
        rejected(ErrorCode.BAD_ENCODING, () -> jwe(backend).decrypt(join(p[0], p[1], p[2] + "=", p[3], p[4]), BOB));
    }
}
