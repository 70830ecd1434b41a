package io.streembit.protocol.jose;

import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded fuzzing of every JOSE parser: random strings and random mutations of valid JWS, JWE and
 * envelope tokens. Whatever the input, the only failure is {@link ProtocolException}; and since
 * every byte string has exactly one accepted encoding and every byte is authenticated, a token
 * that differs from the original in any way is never accepted.
 */
class JoseFuzzTest {
    private static final long SEED = 20251125L;
    private static final int CASES = 1500;
    private static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");
    private static final String TYP = "example";
    private static final byte[] CONTENT = "{\"n\":42,\"readings\":[{\"name\":\"t\",\"ts\":1764000000,\"value\":21.5}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Set<ErrorCode> DEEP_JWS =
            EnumSet.of(ErrorCode.BAD_ENCODING, ErrorCode.MALFORMED, ErrorCode.BAD_SIGNATURE, ErrorCode.BAD_HEADER);
    private static final String B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String NASTY = B64U + ".=+/ \t\n\r\"{}\\\u0000\u00e9\u2028\ud83d\ude00";

    /** A parser under test: returns the content it accepted, or throws. */
    private interface Target {
        byte[] accept(String token) throws ProtocolException;
    }

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mutatedJwsTokensAreNeverAccepted(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        String token = jws.sign(ALICE, TYP, CONTENT);
        fuzz(
                "jws/" + backend.name(),
                token,
                CONTENT,
                DEEP_JWS,
                t -> jws.verify(t, ALICE.publicKey(), TYP).payload());
        fuzz(
                "jws-self/" + backend.name(),
                token,
                CONTENT,
                DEEP_JWS,
                t -> jws.verifySelfSigned(t, null).payload());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mutatedJweTokensAreNeverAccepted(Secp256k1 backend) {
        Jwe jwe = new Jwe(backend, new SecureRandom());
        String token = jwe.encrypt(BOB.publicKey(), CONTENT, ALICE.account());
        fuzz(
                "jwe/" + backend.name(),
                token,
                CONTENT,
                EnumSet.of(ErrorCode.BAD_ENCODING, ErrorCode.MALFORMED, ErrorCode.DECRYPT_FAILED),
                t -> jwe.decrypt(t, BOB).plaintext());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mutatedEnvelopesAreNeverAccepted(Secp256k1 backend) {
        SignedEnvelope envelope = new SignedEnvelope(new Jws(backend), new Jwe(backend, new SecureRandom()));
        String token = envelope.seal(ALICE, BOB.publicKey(), TYP, CONTENT);
        fuzz(
                "envelope/" + backend.name(),
                token,
                CONTENT,
                DEEP_JWS,
                t -> envelope.open(t, BOB, TYP, null).plaintext());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void randomStringsOnlyEverFailWithProtocolException(Secp256k1 backend) {
        Jws jws = new Jws(backend);
        Jwe jwe = new Jwe(backend, new SecureRandom());
        SignedEnvelope envelope = new SignedEnvelope(jws, jwe);
        List<Target> verifiers = List.of(
                t -> jws.verify(t, ALICE.publicKey(), null).payload(),
                t -> jws.verifySelfSigned(t, TYP).payload(),
                t -> jwe.decrypt(t, BOB).plaintext(),
                t -> envelope.open(t, BOB, TYP, ALICE.publicKey()).plaintext());
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String input = randomToken(random);
            for (int k = 0; k < verifiers.size(); k++) {
                boolean accepted = outcome(verifiers.get(k), input, "seed " + SEED + ", case " + i + ", verifier " + k);
                assertThat(accepted)
                        .as("seed %d, case %d, verifier %d accepted random input %s", SEED, i, k, input)
                        .isFalse();
            }
            // peekHeader verifies nothing, so it may accept a well-formed header; it must still never crash.
            outcome(
                    t -> Jws.peekHeader(t).typ().getBytes(StandardCharsets.UTF_8),
                    input,
                    "seed " + SEED + ", case " + i + ", peek");
        }
    }

    /** True when accepted, false on ProtocolException; any other throwable fails the test. */
    private static boolean outcome(Target target, String input, String where) {
        try {
            target.accept(input);
            return true;
        } catch (ProtocolException expected) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError(where + ": threw " + t + " on input " + input, t);
        }
    }

    /**
     * Mutates {@code original} {@link #CASES} times. {@code mustReach}: error codes the
     * mutations must provoke at least once, proof that they get past the encoding layer.
     */
    private static void fuzz(String name, String original, byte[] content, Set<ErrorCode> mustReach, Target target) {
        try {
            assertThat(target.accept(original))
                    .as(name + ": the unmodified token")
                    .isEqualTo(content);
        } catch (ProtocolException e) {
            fail(name + ": the unmodified token must be accepted", e);
        }
        Random random = new Random(SEED ^ name.hashCode());
        int unchanged = 0;
        Set<ErrorCode> seen = EnumSet.noneOf(ErrorCode.class);
        for (int i = 0; i < CASES; i++) {
            String mutated = mutate(original, random);
            String where = name + ", seed " + SEED + ", case " + i;
            byte[] accepted;
            try {
                accepted = target.accept(mutated);
            } catch (ProtocolException expected) {
                assertThat(mutated).as(where + ": the original was refused").isNotEqualTo(original);
                seen.add(expected.code());
                continue;
            } catch (Throwable t) {
                throw new AssertionError(where + ": threw " + t + " on " + mutated, t);
            }
            // Accepted: only possible when the mutation happened to change nothing.
            assertThat(mutated).as(where + ": a modified token was accepted").isEqualTo(original);
            assertThat(accepted).as(where).isEqualTo(content);
            unchanged++;
        }
        assertThat(unchanged)
                .as(name + ": most mutations must change something")
                .isLessThan(CASES / 10);
        assertThat(seen).as(name + ": error codes the mutations provoked").containsAll(mustReach);
    }

    /** One random mutation at the text, byte or decoded-part level. */
    private static String mutate(String token, Random random) {
        switch (random.nextInt(8)) {
            case 0: { // replace a character
                int at = random.nextInt(token.length());
                return token.substring(0, at) + pick(random) + token.substring(at + 1);
            }
            case 1: { // insert a character
                int at = random.nextInt(token.length() + 1);
                return token.substring(0, at) + pick(random) + token.substring(at);
            }
            case 2: { // delete a character
                int at = random.nextInt(token.length());
                return token.substring(0, at) + token.substring(at + 1);
            }
            case 3: { // flip one bit of the raw bytes
                byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 4: { // truncate
                return token.substring(0, random.nextInt(token.length()));
            }
            case 5: { // append
                return token + pick(random) + (random.nextBoolean() ? "" : pick(random));
            }
            default: { // decode one part, change a byte, re-encode canonically: reaches JSON and crypto
                String[] parts = token.split("\\.", -1);
                int p = random.nextInt(parts.length);
                byte[] bytes;
                try {
                    bytes = Base64Url.decode(parts[p], "part");
                } catch (ProtocolException e) {
                    throw new AssertionError(e);
                }
                bytes = mutateBytes(bytes, random);
                parts[p] = Base64Url.encode(bytes);
                return String.join(".", parts);
            }
        }
    }

    private static byte[] mutateBytes(byte[] bytes, Random random) {
        int op = bytes.length == 0 ? 1 : random.nextInt(3);
        if (op == 0) {
            byte[] out = bytes.clone();
            out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
            return out;
        }
        if (op == 1) {
            int at = random.nextInt(bytes.length + 1);
            byte[] out = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, out, 0, at);
            out[at] = (byte) random.nextInt(256);
            System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
            return out;
        }
        int at = random.nextInt(bytes.length);
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
    }

    private static String pick(Random random) {
        int at = random.nextInt(NASTY.length());
        char c = NASTY.charAt(at);
        if (Character.isHighSurrogate(c) && at + 1 < NASTY.length()) {
            return NASTY.substring(at, at + 2);
        }
        return String.valueOf(c);
    }

    /** Random garbage, random base64url parts, and random JSON headers in JWS / JWE shape. */
    private static String randomToken(Random random) {
        switch (random.nextInt(4)) {
            case 0: {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(300);
                for (int i = 0; i < length; i++) {
                    sb.append(pick(random));
                }
                return sb.toString();
            }
            case 1: {
                int parts = 1 + random.nextInt(6);
                String[] out = new String[parts];
                for (int p = 0; p < parts; p++) {
                    byte[] bytes = new byte[random.nextInt(100)];
                    random.nextBytes(bytes);
                    out[p] = Base64Url.encode(bytes);
                }
                return String.join(".", out);
            }
            default: {
                List<String> headers = List.of(
                        "{\"alg\":\"ES256K\",\"kid\":\"" + ALICE.publicKey().hex() + "\",\"typ\":\"example\"}",
                        "{\"alg\":\"ES256K\",\"kid\":\"" + ALICE.publicKey().hex() + "\"}",
                        "{\"alg\":\"none\"}",
                        "{}",
                        "[]",
                        "null",
                        "\"x\"",
                        "{\"alg\":{}}",
                        "{\"alg\":\"ES256K\",\"kid\":[]}",
                        "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\",\"y\":\"AA\"}}",
                        "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":7}",
                        "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"apu\":5,\"epk\":{}}",
                        "{\"alg\":\"ES256K\"," + "[".repeat(2000));
                String header = headers.get(random.nextInt(headers.size()));
                int extra = random.nextInt(5);
                StringBuilder sb = new StringBuilder(Base64Url.encode(header.getBytes(StandardCharsets.UTF_8)));
                for (int p = 0; p < 2 + extra; p++) {
                    byte[] bytes = new byte[random.nextBoolean() ? 64 : random.nextInt(80)];
                    random.nextBytes(bytes);
                    sb.append('.').append(p == 0 && random.nextBoolean() ? "" : Base64Url.encode(bytes));
                }
                return sb.toString();
            }
        }
    }
}
