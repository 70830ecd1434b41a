package io.streembit.protocol.crypto;

import io.streembit.protocol.Backends;
import io.streembit.protocol.Hex;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bouncy Castle and libsecp256k1 must be interchangeable: the same public keys, the same
 * (RFC 6979, low-S) signatures byte for byte, the same ECDH secrets, and the same refusals.
 */
class BackendEquivalenceTest {
    private static final long SEED = 20251125L;
    private static final BigInteger N = CurveParams.N;

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    private static byte[] randomScalar(Random random) {
        byte[] d = new byte[32];
        do {
            random.nextBytes(d);
        } while (new BigInteger(1, d).signum() == 0 || new BigInteger(1, d).compareTo(N) >= 0);
        return d;
    }

    @Test
    void nativeAndBouncyCastleGiveIdenticalResults() throws Exception {
        Secp256k1 bc = Secp256k1Backends.bouncyCastle();
        Secp256k1 nat = Secp256k1Backends.nativeOrNull();
        assumeTrue(nat != null, "native libsecp256k1 does not load on this platform");
        Random random = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            String seed = "seed " + SEED + ", case " + i;
            byte[] a = randomScalar(random);
            byte[] b = randomScalar(random);
            byte[] pubA = bc.publicKey(a);
            byte[] pubB = bc.publicKey(b);
            assertThat(nat.publicKey(a)).as(seed).isEqualTo(pubA);
            assertThat(nat.uncompressedPublicKey(a))
                    .as(seed)
                    .isEqualTo(bc.uncompressedPublicKey(a))
                    .isEqualTo(PublicKey.fromCompressed(pubA).uncompressed());

            byte[] message = new byte[random.nextInt(200)];
            random.nextBytes(message);
            byte[] digest = Hashes.sha256(message);
            byte[] sigBc = bc.sign(digest, a);
            byte[] sigNat = nat.sign(digest, a);
            assertThat(sigNat).as(seed).isEqualTo(sigBc);
            assertThat(CurveParams.isHighS(sigBc)).as(seed).isFalse();
            assertThat(bc.verify(digest, sigNat, pubA)).as(seed).isTrue();
            assertThat(nat.verify(digest, sigBc, pubA)).as(seed).isTrue();
            assertThat(bc.verify(digest, sigBc, pubB)).as(seed).isFalse();
            assertThat(nat.verify(digest, sigBc, pubB)).as(seed).isFalse();
            byte[] pubAFull = bc.uncompressedPublicKey(a); // PublicKey.sec1(): what Jws hands to verify
            byte[] pubBFullForVerify = bc.uncompressedPublicKey(b);
            assertThat(bc.verify(digest, sigNat, pubAFull)).as(seed).isTrue();
            assertThat(nat.verify(digest, sigBc, pubAFull)).as(seed).isTrue();
            assertThat(bc.verify(digest, sigBc, pubBFullForVerify)).as(seed).isFalse();
            assertThat(nat.verify(digest, sigBc, pubBFullForVerify)).as(seed).isFalse();

            byte[] zBc = bc.sharedSecret(a, pubB);
            assertThat(zBc).as(seed).hasSize(32);
            assertThat(nat.sharedSecret(a, pubB)).as(seed).isEqualTo(zBc);
            assertThat(bc.sharedSecret(b, pubA)).as(seed).isEqualTo(zBc);
            assertThat(nat.sharedSecret(b, pubA)).as(seed).isEqualTo(zBc);
            byte[] pubBFull = bc.uncompressedPublicKey(b); // a JWE's epk arrives uncompressed
            assertThat(bc.sharedSecret(a, pubBFull)).as(seed).isEqualTo(zBc);
            assertThat(nat.sharedSecret(a, pubBFull)).as(seed).isEqualTo(zBc);
        }
    }

    @Test
    void identitiesOnEitherBackendSignAlike() throws Exception {
        List<Secp256k1> all = Backends.all();
        assumeTrue(all.size() > 1, "only one backend loads here");
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 50; i++) {
            Identity id = Identity.of(PrivateKey.fromBytes(randomScalar(random)));
            Identity other = Identity.of(PrivateKey.fromBytes(randomScalar(random)));
            byte[] message = ("message " + i).getBytes();
            assertThat(id.sign(message, all.get(1))).as("case %d", i).isEqualTo(id.sign(message, all.get(0)));
            assertThat(id.sharedSecret(other.publicKey(), all.get(1)))
                    .isEqualTo(other.sharedSecret(id.publicKey(), all.get(0)));
        }
    }

    /** The ECDSA example of RFC 6979 is for other curves; this checks against SEC 2's generator instead. */
    @ParameterizedTest
    @MethodSource("backends")
    void smallScalarsGiveTheKnownMultiplesOfG(Secp256k1 backend) {
        assertThat(Hex.encode(backend.publicKey(CurveParams.to32(BigInteger.ONE))))
                .isEqualTo("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        assertThat(Hex.encode(backend.publicKey(CurveParams.to32(BigInteger.TWO))))
                .isEqualTo("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
        assertThat(Hex.encode(backend.publicKey(CurveParams.to32(N.subtract(BigInteger.ONE)))))
                .isEqualTo("0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void malleableAndOutOfRangeSignaturesAreRefused(Secp256k1 backend) {
        Random random = new Random(SEED + 2);
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        for (int i = 0; i < 40; i++) {
            String seed = "seed " + (SEED + 2) + ", case " + i;
            byte[] d = randomScalar(random);
            byte[] pub = backend.publicKey(d);
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            byte[] sig = backend.sign(digest, d);
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            assertThat(backend.verify(digest, sig, pub)).as(seed).isTrue();
            // (r, n - s) is a valid ECDSA signature too: refused only because it is high-S.
            assertThat(backend.verify(digest, rs(r, N.subtract(s)), pub))
                    .as(seed)
                    .isFalse();
            for (BigInteger bad : List.of(BigInteger.ZERO, N, N.add(BigInteger.ONE), max)) {
                assertThat(backend.verify(digest, rs(bad, s), pub))
                        .as(seed + " r=" + bad)
                        .isFalse();
                assertThat(backend.verify(digest, rs(r, bad), pub))
                        .as(seed + " s=" + bad)
                        .isFalse();
            }
            // r + n (when it fits in 32 bytes) names the same x mod n: still refused.
            if (r.add(N).compareTo(max) <= 0) {
                assertThat(backend.verify(digest, rs(r.add(N), s), pub))
                        .as(seed)
                        .isFalse();
            }
            assertThat(backend.verify(digest, Arrays.copyOf(sig, 63), pub)).isFalse();
            assertThat(backend.verify(digest, Arrays.copyOf(sig, 65), pub)).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void signaturesAreDeterministicPerKeyAndDigest(Secp256k1 backend) {
        Random random = new Random(SEED + 3);
        byte[] d = randomScalar(random);
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        assertThat(backend.sign(digest, d)).isEqualTo(backend.sign(digest, d));
        byte[] other = digest.clone();
        other[0] ^= 1;
        assertThat(backend.sign(other, d)).isNotEqualTo(backend.sign(digest, d));
    }

    @Test
    void theChosenBackendIsOneOfTheTested() {
        assertThat(Backends.all())
                .extracting(Secp256k1::name)
                .contains(Secp256k1Backends.get().name());
    }

    private static byte[] rs(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        System.arraycopy(fit(r), 0, out, 0, 32);
        System.arraycopy(fit(s), 0, out, 32, 32);
        return out;
    }

    private static byte[] fit(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
