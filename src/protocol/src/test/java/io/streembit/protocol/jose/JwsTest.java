package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static io.streembit.protocol.jose.Forge.b64;
import static io.streembit.protocol.jose.Forge.header;
import static io.streembit.protocol.jose.Forge.join;
import static io.streembit.protocol.jose.Forge.parts;
import static io.streembit.protocol.jose.Forge.rejected;
import static io.streembit.protocol.jose.Forge.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ES256K JWS: what is accepted, and that every kind of tampering fails with its own error code. */
class JwsTest {
    private static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    private static final String TYP = "example";
    private static final byte[] PAYLOAD = "{\"n\":1,\"value\":21.5}".getBytes(StandardCharsets.UTF_8);

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    private static String valid(Jws jws) {
        return jws.sign(ALICE, TYP, PAYLOAD);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aSignedTokenVerifiesAndCarriesExactlyTheSpecifiedHeader(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String token = valid(jws);

        VerifiedJws verified = jws.verify(token, ALICE.publicKey(), TYP);
        assertThat(verified.payload()).isEqualTo(PAYLOAD);
        assertThat(verified.signer()).isEqualTo(ALICE.publicKey());
        assertThat(verified.typ()).isEqualTo(TYP);
        assertThat(verified.token()).isEqualTo(token);
        assertThat(Forge.text(parts(token)[0]))
                .isEqualTo("{\"alg\":\"ES256K\",\"kid\":\"" + ALICE.publicKey().hex() + "\",\"typ\":\"example\"}");
        assertThat(jws.verifySelfSigned(token, null).payload()).isEqualTo(PAYLOAD);
        assertThat(Jws.peekHeader(token).kid()).isEqualTo(ALICE.publicKey());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void signingIsDeterministicAndLowS(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        assertThat(valid(jws)).isEqualTo(valid(jws));
        for (int i = 0; i < 50; i++) {
            byte[] sig = Base64Url.decode(parts(jws.sign(BOB, TYP, ("{\"i\":" + i + "}").getBytes()))[2], "sig");
            assertThat(CurveParams.isHighS(sig)).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anEmptyPayloadIsSignedAndVerified(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String token = jws.sign(ALICE, TYP, new byte[0]);
        assertThat(parts(token)[1]).isEmpty();
        assertThat(jws.verify(token, ALICE.publicKey(), TYP).payload()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void misuseFailsLoudlyAtTheCaller(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        // A token without typ could never verify, and "any signer" must be asked for by name.
        assertThrows(IllegalArgumentException.class, () -> jws.sign(ALICE, null, PAYLOAD));
        assertThrows(IllegalArgumentException.class, () -> jws.sign(ALICE, "", PAYLOAD));
        assertThrows(IllegalArgumentException.class, () -> jws.verify(valid(jws), null, TYP));
    }

    // --- algorithms ---

    @ParameterizedTest
    @MethodSource("backends")
    void algNoneIsRefused(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String payload = Base64Url.encode(PAYLOAD);
        String kid = ALICE.publicKey().hex();
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(join(b64("{\"alg\":\"none\"}"), payload, ""), ALICE.publicKey(), null));
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(join(b64(header("none", kid, TYP)), payload, ""), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verifySelfSigned(join(b64(header("none", kid, TYP)), payload, ""), TYP));
        // "None" and "NONE" are what some libraries once compared case-insensitively.
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(join(b64(header("None", kid, TYP)), payload, ""), ALICE.publicKey(), TYP));
        // Even with a genuine signature appended, none stays none.
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(signed(ALICE, backend, header("none", kid, TYP), PAYLOAD), ALICE.publicKey(), TYP));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void otherAlgorithmsAreRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String kid = ALICE.publicKey().hex();
        // HS256 keyed with the public key: the classic algorithm-confusion forgery.
        String signingInput = b64(header("HS256", kid, TYP)) + "." + Base64Url.encode(PAYLOAD);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(kid.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        String hs256 =
                signingInput + "." + Base64Url.encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        rejected(ErrorCode.UNSUPPORTED_ALG, () -> jws.verify(hs256, ALICE.publicKey(), TYP));
        // ES256 names another curve; the secp256k1 signature itself is genuine.
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(signed(ALICE, backend, header("ES256", kid, TYP), PAYLOAD), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.UNSUPPORTED_ALG,
                () -> jws.verify(signed(ALICE, backend, header("es256k", kid, TYP), PAYLOAD), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verify(
                        signed(ALICE, backend, "{\"kid\":\"" + kid + "\",\"typ\":\"example\"}", PAYLOAD),
                        ALICE.publicKey(),
                        TYP));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verify(
                        signed(ALICE, backend, "{\"alg\":1,\"kid\":\"" + kid + "\",\"typ\":\"example\"}", PAYLOAD),
                        ALICE.publicKey(),
                        TYP));
    }

    // --- kid ---

    @ParameterizedTest
    @MethodSource("backends")
    void aTokenOfAnotherSignerIsKidMismatch(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String bobs = jws.sign(BOB, TYP, PAYLOAD);
        assertThat(jws.verifySelfSigned(bobs, TYP).signer()).isEqualTo(BOB.publicKey());
        rejected(ErrorCode.KID_MISMATCH, () -> jws.verify(bobs, ALICE.publicKey(), TYP));
        // Claiming Alice's kid while signing with Bob's key: the signature cannot hold.
        String claimsAlice =
                signed(BOB, backend, header("ES256K", ALICE.publicKey().hex(), TYP), PAYLOAD);
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(claimsAlice, ALICE.publicKey(), TYP));
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verifySelfSigned(claimsAlice, TYP));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aKidThatIsNoValidKeyIsBadKey(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String offCurve = "02" + "00".repeat(31) + "05";
        for (String kid : List.of(
                offCurve,
                "abc",
                ALICE.publicKey().hex().toUpperCase(),
                "04" + ALICE.publicKey().hex().substring(2),
                ALICE.publicKey().hex() + "00",
                "")) {
            rejected(
                    ErrorCode.BAD_KEY,
                    () -> jws.verifySelfSigned(signed(ALICE, backend, header("ES256K", kid, TYP), PAYLOAD), TYP));
        }
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verifySelfSigned(
                        signed(ALICE, backend, "{\"alg\":\"ES256K\",\"kid\":7,\"typ\":\"example\"}", PAYLOAD), TYP));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verifySelfSigned(
                        signed(ALICE, backend, "{\"alg\":\"ES256K\",\"typ\":\"example\"}", PAYLOAD), TYP));
    }

    // --- header members and typ ---

    @ParameterizedTest
    @MethodSource("backends")
    void unexpectedHeaderMembersAreRefused(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String kid = ALICE.publicKey().hex();
        String base = "\"alg\":\"ES256K\",\"kid\":\"" + kid + "\",\"typ\":\"example\"";
        for (String extra : List.of(
                "\"crit\":[\"exp\"],\"exp\":1",
                "\"jwk\":{\"kty\":\"EC\",\"crv\":\"secp256k1\"}",
                "\"b64\":false",
                "\"jku\":\"https://example.com/k\"",
                "\"x5u\":\"https://example.com/c\"",
                "\"cty\":\"JWT\"",
                "\"zip\":\"DEF\"")) {
            String token = signed(ALICE, backend, "{" + base + "," + extra + "}", PAYLOAD);
            rejected(ErrorCode.BAD_HEADER, () -> jws.verify(token, ALICE.publicKey(), TYP));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void typIsRequiredAndChecked(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String kid = ALICE.publicKey().hex();
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verify(
                        signed(ALICE, backend, "{\"alg\":\"ES256K\",\"kid\":\"" + kid + "\"}", PAYLOAD),
                        ALICE.publicKey(),
                        null));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verify(signed(ALICE, backend, header("ES256K", kid, ""), PAYLOAD), ALICE.publicKey(), null));
        rejected(
                ErrorCode.BAD_HEADER,
                () -> jws.verify(
                        signed(ALICE, backend, "{\"alg\":\"ES256K\",\"kid\":\"" + kid + "\",\"typ\":null}", PAYLOAD),
                        ALICE.publicKey(),
                        null));
        String token = valid(jws);
        rejected(ErrorCode.TYP_MISMATCH, () -> jws.verify(token, ALICE.publicKey(), "record"));
        rejected(ErrorCode.TYP_MISMATCH, () -> jws.verify(token, ALICE.publicKey(), "EXAMPLE"));
        assertThat(jws.verify(token, ALICE.publicKey(), null).typ()).isEqualTo(TYP);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aDuplicateHeaderMemberIsRefused(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String kid = ALICE.publicKey().hex();
        // Two parsers could each pick a different "alg"/"kid": the header is not JSON we accept.
        for (String json : List.of(
                "{\"alg\":\"ES256K\",\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"example\"}",
                "{\"alg\":\"ES256K\",\"kid\":\"" + BOB.publicKey().hex() + "\",\"kid\":\"" + kid
                        + "\",\"typ\":\"example\"}",
                "{\"alg\":\"ES256K\",\"kid\":\"" + kid + "\",\"typ\":\"example\",\"typ\":\"example\"}")) {
            rejected(
                    ErrorCode.MALFORMED,
                    () -> jws.verify(signed(ALICE, backend, json, PAYLOAD), ALICE.publicKey(), TYP));
        }
        rejected(
                ErrorCode.MALFORMED,
                () -> jws.verify(
                        signed(ALICE, backend, header("ES256K", kid, TYP) + " {}", PAYLOAD), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.MALFORMED,
                () -> jws.verify(signed(ALICE, backend, "[\"ES256K\"]", PAYLOAD), ALICE.publicKey(), TYP));
    }

    // --- structure and encoding ---

    @ParameterizedTest
    @MethodSource("backends")
    void trailingDataIsRefused(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String token = valid(jws);
        PublicKey alice = ALICE.publicKey();
        rejected(ErrorCode.MALFORMED, () -> jws.verify(token + ".", alice, TYP));
        rejected(ErrorCode.MALFORMED, () -> jws.verify(token + "." + parts(token)[2], alice, TYP));
        rejected(ErrorCode.MALFORMED, () -> jws.verify(parts(token)[0] + "." + parts(token)[1], alice, TYP));
        rejected(ErrorCode.MALFORMED, () -> jws.verify(null, alice, TYP));
        rejected(ErrorCode.MALFORMED, () -> jws.verify("", alice, TYP));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(token + " ", alice, TYP));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(token + "\n", alice, TYP));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(token + "\r\n", alice, TYP));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(" " + token, alice, TYP));
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(token + "A", alice, TYP)); // 87 chars: 65 bytes
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(token + "B", alice, TYP)); // ...with stray bits
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(token + "AA", alice, TYP)); // 66 bytes
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(token + "AAAA", alice, TYP)); // 67 bytes
    }

    @ParameterizedTest
    @MethodSource("backends")
    void peekingReadsThePayloadOfAnyThreePartTokenAndVerifiesNothing(Secp256k1 backend) throws Exception {
        String token = valid(new Jws(backend));
        assertThat(Jws.peekPayload(token)).isEqualTo(PAYLOAD);
        String unsigned = parts(token)[0] + "." + parts(token)[1] + ".";
        assertThat(Jws.peekPayload(unsigned)).isEqualTo(PAYLOAD);
        // the same structure rules as verification, so a peeked token is one verification can read
        rejected(ErrorCode.MALFORMED, () -> Jws.peekPayload(token + "."));
        rejected(ErrorCode.MALFORMED, () -> Jws.peekPayload(parts(token)[0] + "." + parts(token)[1]));
        rejected(ErrorCode.MALFORMED, () -> Jws.peekPayload(null));
        rejected(ErrorCode.MALFORMED, () -> Jws.peekPayload(""));
        rejected(ErrorCode.BAD_ENCODING, () -> Jws.peekPayload(parts(token)[0] + "." + parts(token)[1] + "=."));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void paddingAndTheStandardAlphabetAreRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        // Find a token whose signature uses '-' or '_', then write the same bytes in standard base64.
        String token = null;
        for (int i = 0; token == null; i++) {
            String candidate = jws.sign(ALICE, TYP, ("{\"i\":" + i + "}").getBytes());
            String sig = parts(candidate)[2];
            if (sig.indexOf('-') >= 0 || sig.indexOf('_') >= 0) {
                token = candidate;
            }
        }
        String[] p = parts(token);
        byte[] sig = Base64Url.decode(p[2], "sig");
        String standard = Base64.getEncoder().withoutPadding().encodeToString(sig);
        assertThat(standard).isNotEqualTo(p[2]).containsAnyOf("+", "/");
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(p[0], p[1], standard), ALICE.publicKey(), TYP));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(p[0], p[1], p[2] + "=="), ALICE.publicKey(), TYP));
        String paddedHeader = Base64.getUrlEncoder().encodeToString(Base64Url.decode(p[0], "h"));
        if (!paddedHeader.equals(p[0])) {
            rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(paddedHeader, p[1], p[2]), ALICE.publicKey(), TYP));
        }
        String paddedPayload = Base64.getUrlEncoder().encodeToString(Base64Url.decode(p[1], "p"));
        if (!paddedPayload.equals(p[1])) {
            rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(p[0], paddedPayload, p[2]), ALICE.publicKey(), TYP));
        }
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(p[0], p[1] + "=", p[2]), ALICE.publicKey(), TYP));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void nonZeroUnusedBitsAreRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String[] p = parts(valid(jws));
        // 64 signature bytes take 86 characters: the last one carries 4 unused bits. Setting
        // one gives a second text for the same bytes, which a lenient decoder would accept.
        assertThat(p[2]).hasSize(86);
        String stray = p[2].substring(0, 85) + withLowBitSet(p[2].charAt(85));
        assertThat(Base64.getUrlDecoder().decode(stray)).isEqualTo(Base64Url.decode(p[2], "sig"));
        rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(p[0], p[1], stray), ALICE.publicKey(), TYP));
        for (int part = 0; part < 2; part++) {
            if (p[part].length() % 4 != 0) {
                String[] q = p.clone();
                q[part] = p[part].substring(0, p[part].length() - 1)
                        + withLowBitSet(p[part].charAt(p[part].length() - 1));
                rejected(ErrorCode.BAD_ENCODING, () -> jws.verify(join(q), ALICE.publicKey(), TYP));
            }
        }
    }

    private static char withLowBitSet(char c) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet.charAt(alphabet.indexOf(c) | 1);
    }

    // --- signature ---

    @ParameterizedTest
    @MethodSource("backends")
    void aSignatureOfAnotherLengthIsBadSignature(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String[] p = parts(valid(jws));
        byte[] sig = Base64Url.decode(p[2], "sig");
        for (byte[] other : List.of(
                Arrays.copyOf(sig, 63),
                Arrays.copyOf(sig, 65),
                new byte[0],
                concat(new byte[] {0}, sig),
                derEncode(sig))) {
            rejected(
                    ErrorCode.BAD_SIGNATURE,
                    () -> jws.verify(join(p[0], p[1], Base64Url.encode(other)), ALICE.publicKey(), TYP));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void highSAndOutOfRangeValuesAreRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String[] p = parts(valid(jws));
        byte[] sig = Base64Url.decode(p[2], "sig");
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        BigInteger n = CurveParams.N;
        rejected(ErrorCode.HIGH_S, () -> jws.verify(join(p[0], p[1], rs(r, n.subtract(s))), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.BAD_SIGNATURE,
                () -> jws.verify(join(p[0], p[1], rs(BigInteger.ZERO, s)), ALICE.publicKey(), TYP));
        rejected(
                ErrorCode.BAD_SIGNATURE,
                () -> jws.verify(join(p[0], p[1], rs(r, BigInteger.ZERO)), ALICE.publicKey(), TYP));
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        for (BigInteger bigR : List.of(n, n.add(BigInteger.ONE), max)) {
            rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(join(p[0], p[1], rs(bigR, s)), ALICE.publicKey(), TYP));
        }
        // S >= n is above n/2 as well: refused as high-S before any arithmetic.
        for (BigInteger bigS : List.of(n, n.add(BigInteger.ONE), max)) {
            rejected(ErrorCode.HIGH_S, () -> jws.verify(join(p[0], p[1], rs(r, bigS)), ALICE.publicKey(), TYP));
        }
    }

    /**
     * The legacy Streembit forgery: its ES256K signed only the first 32 bytes of the signing
     * input, a constant prefix of the header. A signature over that prefix, spliced onto any
     * other payload, passed its check. Here it must fail.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void aSignatureOverOnlyAPrefixOfTheSigningInputIsRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String[] p = parts(valid(jws));
        byte[] prefix = Arrays.copyOf((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII), 32);
        byte[] secret = ALICE.privateKey().exportSecret();
        // Legacy variant: the 32 prefix bytes used directly as the ECDSA "digest".
        byte[] rawPrefixSig = backend.sign(prefix, secret);
        // Variant: ECDSA over SHA-256 of the prefix.
        byte[] hashedPrefixSig = ALICE.sign(prefix, backend);
        Arrays.fill(secret, (byte) 0);
        assertThat(backend.verify(prefix, rawPrefixSig, ALICE.publicKey().compressed()))
                .as("the forged signature is a genuine signature over the prefix")
                .isTrue();
        assertThat(backend.verify(
                        Hashes.sha256(prefix),
                        hashedPrefixSig,
                        ALICE.publicKey().compressed()))
                .isTrue();

        String otherPayload =
                Base64Url.encode("{\"n\":1,\"value\":99.9,\"admin\":true}".getBytes(StandardCharsets.UTF_8));
        for (byte[] sig : List.of(rawPrefixSig, hashedPrefixSig)) {
            rejected(
                    ErrorCode.BAD_SIGNATURE,
                    () -> jws.verify(join(p[0], otherPayload, Base64Url.encode(sig)), ALICE.publicKey(), TYP));
            rejected(
                    ErrorCode.BAD_SIGNATURE,
                    () -> jws.verify(join(p[0], p[1], Base64Url.encode(sig)), ALICE.publicKey(), TYP));
        }
        // And the genuine signature does not carry over to another payload either.
        rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(join(p[0], otherPayload, p[2]), ALICE.publicKey(), TYP));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anyFlippedPayloadOrSignatureByteIsBadSignature(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        String[] p = parts(valid(jws));
        for (int i = 0; i < PAYLOAD.length; i++) {
            String flipped = Forge.flipByte(p[1], i);
            rejected(ErrorCode.BAD_SIGNATURE, () -> jws.verify(join(p[0], flipped, p[2]), ALICE.publicKey(), TYP));
        }
        for (int i = 0; i < 64; i++) {
            String flipped = Forge.flipByte(p[2], i);
            ErrorCode expected = i >= 32 && CurveParams.isHighS(Base64Url.decode(flipped, "sig"))
                    ? ErrorCode.HIGH_S
                    : ErrorCode.BAD_SIGNATURE;
            rejected(expected, () -> jws.verify(join(p[0], p[1], flipped), ALICE.publicKey(), TYP));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aJsonPayloadIsSignedAsItsCompactBytes(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        JsonNode payload = Json.parse("{\"b\":[1,2],\"a\":\"x\"}".getBytes(), "payload");
        VerifiedJws verified = jws.verify(jws.sign(ALICE, TYP, payload), ALICE.publicKey(), TYP);
        assertThat(verified.payloadText()).isEqualTo("{\"b\":[1,2],\"a\":\"x\"}");
    }

    private static String rs(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        byte[] rb = unsigned(r);
        byte[] sb = unsigned(s);
        System.arraycopy(rb, 0, out, 32 - rb.length, rb.length);
        System.arraycopy(sb, 0, out, 64 - sb.length, sb.length);
        return Base64Url.encode(out);
    }

    /** Unsigned big-endian; values up to 2^256-1 (r + n may exceed n but stays below 2^256). */
    private static byte[] unsigned(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length > 32 && raw[0] == 0) {
            raw = Arrays.copyOfRange(raw, 1, raw.length);
        }
        if (raw.length > 32) {
            throw new IllegalArgumentException("value does not fit 32 bytes");
        }
        return raw;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The ASN.1 DER form JCA produces: a different, variable-length encoding of the same R, S. */
    private static byte[] derEncode(byte[] rs) throws Exception {
        org.bouncycastle.asn1.ASN1EncodableVector v = new org.bouncycastle.asn1.ASN1EncodableVector();
        v.add(new org.bouncycastle.asn1.ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 0, 32))));
        v.add(new org.bouncycastle.asn1.ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 32, 64))));
        return new org.bouncycastle.asn1.DERSequence(v).getEncoded();
    }
}
