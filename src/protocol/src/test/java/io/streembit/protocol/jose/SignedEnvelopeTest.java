package io.streembit.protocol.jose;

import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static io.streembit.protocol.jose.Forge.parts;
import static io.streembit.protocol.jose.Forge.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Encrypt-then-sign: the signer is the author bound inside the JWE, or the envelope is refused. */
class SignedEnvelopeTest {
    private static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    private static final Identity MALLORY = Identity.generate(new SecureRandom());
    private static final String TYP = "example+jwe";
    private static final byte[] PLAINTEXT = "{\"id\":\"c1\",\"action\":\"unlock\"}".getBytes(StandardCharsets.UTF_8);

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    private static SignedEnvelope envelope(Secp256k1 backend) {
        return new SignedEnvelope(new Jws(backend), new Jwe(backend, new SecureRandom()));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theRecipientOpensWhatTheAuthorSealed(Secp256k1 backend) throws Exception {
        String token = envelope(backend).seal(ALICE, BOB.publicKey(), TYP, PLAINTEXT);
        for (Secp256k1 other : Backends.all()) {
            OpenedEnvelope named = envelope(other).open(token, BOB, TYP, ALICE.publicKey());
            assertThat(named.plaintext()).isEqualTo(PLAINTEXT);
            assertThat(named.author()).isEqualTo(ALICE.publicKey());
            assertThat(named.typ()).isEqualTo(TYP);
            OpenedEnvelope anyAuthor = envelope(other).open(token, BOB, TYP, null);
            assertThat(anyAuthor.author()).isEqualTo(ALICE.publicKey());
            assertThat(anyAuthor.plaintextText()).isEqualTo(new String(PLAINTEXT, StandardCharsets.UTF_8));
            assertThat(anyAuthor.toString()).doesNotContain("unlock");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theOuterJwsCarriesTheJweCompactBytesWithTheAuthorsIdAsIss(Secp256k1 backend) throws Exception {
        String token = envelope(backend).seal(ALICE, BOB.publicKey(), TYP, PLAINTEXT);
        // A storing node without Bob's key can still check who signed it.
        VerifiedJws outer = new Jws(backend).verify(token, ALICE.publicKey(), TYP);
        String inner = outer.payloadText();
        assertThat(parts(inner)).hasSize(5);
        assertThat(Json.parseObject(Base64Url.decode(parts(inner)[0], "h"), "h")
                        .get("iss")
                        .textValue())
                .isEqualTo(ALICE.account());
        assertThat(new Jwe(backend, new SecureRandom()).decrypt(inner, BOB).plaintext())
                .isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theOuterChecksComeFirst(Secp256k1 backend) {
        SignedEnvelope envelope = envelope(backend);
        String token = envelope.seal(ALICE, BOB.publicKey(), TYP, PLAINTEXT);
        rejected(ErrorCode.KID_MISMATCH, () -> envelope.open(token, BOB, TYP, MALLORY.publicKey()));
        rejected(ErrorCode.TYP_MISMATCH, () -> envelope.open(token, BOB, "record", ALICE.publicKey()));
        rejected(ErrorCode.DECRYPT_FAILED, () -> envelope.open(token, MALLORY, TYP, ALICE.publicKey()));
        rejected(ErrorCode.DECRYPT_FAILED, () -> envelope.open(token, ALICE, TYP, ALICE.publicKey()));
    }

    /** Mallory lifts Alice's ciphertext out of its envelope and re-signs it as her own. */
    @ParameterizedTest
    @MethodSource("backends")
    void aReSignedCiphertextIsAuthorMismatch(Secp256k1 backend) throws Exception {
        SignedEnvelope envelope = envelope(backend);
        String alices = envelope.seal(ALICE, BOB.publicKey(), TYP, PLAINTEXT);
        byte[] stolen = new Jws(backend).verify(alices, ALICE.publicKey(), TYP).payload();
        String resigned = new Jws(backend).sign(MALLORY, TYP, stolen);
        rejected(ErrorCode.AUTHOR_MISMATCH, () -> envelope.open(resigned, BOB, TYP, MALLORY.publicKey()));
        rejected(ErrorCode.AUTHOR_MISMATCH, () -> envelope.open(resigned, BOB, TYP, null));
        // Without the binding, the lifted JWE would indeed decrypt fine for Bob.
        assertThat(new Jwe(backend, new SecureRandom())
                        .decrypt(new String(stolen, StandardCharsets.US_ASCII), BOB)
                        .plaintext())
                .isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aJweWithoutIssIsAuthorMismatch(Secp256k1 backend) {
        SignedEnvelope envelope = envelope(backend);
        String anonymous = new Jwe(backend, new SecureRandom()).encrypt(BOB.publicKey(), PLAINTEXT, null);
        String token = new Jws(backend).sign(ALICE, TYP, anonymous.getBytes(StandardCharsets.US_ASCII));
        rejected(ErrorCode.AUTHOR_MISMATCH, () -> envelope.open(token, BOB, TYP, ALICE.publicKey()));
        // Naming someone else (Bob's id) is no better than naming no one.
        String misnamed = new Jwe(backend, new SecureRandom()).encrypt(BOB.publicKey(), PLAINTEXT, BOB.account());
        String token2 = new Jws(backend).sign(ALICE, TYP, misnamed.getBytes(StandardCharsets.US_ASCII));
        rejected(ErrorCode.AUTHOR_MISMATCH, () -> envelope.open(token2, BOB, TYP, ALICE.publicKey()));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aSignedPayloadThatIsNoJweIsRefused(Secp256k1 backend) {
        SignedEnvelope envelope = envelope(backend);
        Jws jws = new Jws(backend);
        rejected(
                ErrorCode.MALFORMED, () -> envelope.open(jws.sign(ALICE, TYP, PLAINTEXT), BOB, TYP, ALICE.publicKey()));
        rejected(
                ErrorCode.MALFORMED,
                () -> envelope.open(jws.sign(ALICE, TYP, new byte[0]), BOB, TYP, ALICE.publicKey()));
        String jwe = new Jwe(backend, new SecureRandom()).encrypt(BOB.publicKey(), PLAINTEXT, ALICE.account());
        rejected(
                ErrorCode.MALFORMED,
                () -> envelope.open(
                        jws.sign(ALICE, TYP, (jwe + "\n").getBytes(StandardCharsets.US_ASCII)),
                        BOB,
                        TYP,
                        ALICE.publicKey()));
        rejected(
                ErrorCode.MALFORMED,
                () -> envelope.open(
                        jws.sign(ALICE, TYP, ("\u00e9" + jwe).getBytes(StandardCharsets.UTF_8)),
                        BOB,
                        TYP,
                        ALICE.publicKey()));
    }
}
