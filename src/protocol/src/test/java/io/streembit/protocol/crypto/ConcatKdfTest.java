package io.streembit.protocol.crypto;

import io.streembit.protocol.Base64Url;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Concat KDF against the published example of RFC 7518 Appendix C (ECDH-ES, P-256,
 * A128GCM, apu "Alice", apv "Bob"). The KDF does not depend on the curve, so the appendix
 * checks the very code that derives our secp256k1 content keys.
 */
class ConcatKdfTest {
    // RFC 7518 Appendix C: Alice's ephemeral key and Bob's static key (P-256 JWKs).
    private static final String ALICE_X = "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0";
    private static final String ALICE_Y = "SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps";
    private static final String ALICE_D = "0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo";
    private static final String BOB_X = "weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ";
    private static final String BOB_Y = "e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck";
    private static final String BOB_D = "VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw";
    // The appendix's Z and derived key, as the octet lists it prints.
    private static final int[] Z = {
        158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72,
        246, 218, 167, 121, 140, 254, 144, 196
    };
    private static final int[] DERIVED = {86, 170, 141, 234, 248, 35, 109, 32, 92, 34, 40, 205, 113, 167, 16, 26};

    private static byte[] octets(int[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void theAppendixZFollowsFromItsKeys() throws Exception {
        // JDK SunEC (P-256), independent of this module: both directions give the appendix's Z.
        assertThat(ecdh(ALICE_D, BOB_X, BOB_Y)).isEqualTo(octets(Z));
        assertThat(ecdh(BOB_D, ALICE_X, ALICE_Y)).isEqualTo(octets(Z));
    }

    @Test
    void theAppendixDerivedKeyIsReproduced() {
        byte[] key = ConcatKdf.derive(
                octets(Z),
                128,
                "A128GCM",
                "Alice".getBytes(StandardCharsets.US_ASCII),
                "Bob".getBytes(StandardCharsets.US_ASCII));
        assertThat(key).isEqualTo(octets(DERIVED));
        assertThat(Base64Url.encode(key)).isEqualTo("VqqN6vgjbSBcIijNcacQGg");
    }

    @Test
    void everyInputChangesTheKey() {
        byte[] z = octets(Z);
        byte[] alice = "Alice".getBytes(StandardCharsets.US_ASCII);
        byte[] bob = "Bob".getBytes(StandardCharsets.US_ASCII);
        byte[] reference = ConcatKdf.derive(z, 256, "A256GCM", alice, bob);
        assertThat(reference).hasSize(32);
        assertThat(ConcatKdf.derive(z, 256, "A256GCM", alice, bob)).isEqualTo(reference);
        assertThat(ConcatKdf.derive(z, 256, "A128GCM", alice, bob)).isNotEqualTo(reference);
        assertThat(ConcatKdf.derive(z, 256, "A256GCM", bob, alice)).isNotEqualTo(reference);
        // Length prefixes keep "Alic"+"eBob" apart from "Alice"+"Bob".
        assertThat(ConcatKdf.derive(
                        z,
                        256,
                        "A256GCM",
                        "Alic".getBytes(StandardCharsets.US_ASCII),
                        "eBob".getBytes(StandardCharsets.US_ASCII)))
                .isNotEqualTo(reference);
        // keydatalen is an input, not just a truncation.
        assertThat(ConcatKdf.derive(z, 128, "A256GCM", alice, bob))
                .isNotEqualTo(java.util.Arrays.copyOf(reference, 16));
        // More than one SHA-256 round: the first 32 bytes are round 1.
        byte[] long512 = ConcatKdf.derive(z, 512, "A256GCM", alice, bob);
        assertThat(long512).hasSize(64);
    }

    private static byte[] ecdh(String d, String x, String y) throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        KeyFactory factory = KeyFactory.getInstance("EC");
        PrivateKey priv = factory.generatePrivate(new ECPrivateKeySpec(unsigned(d), spec));
        PublicKey pub = factory.generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(x), unsigned(y)), spec));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(priv);
        agreement.doPhase(pub, true);
        return agreement.generateSecret();
    }

    private static BigInteger unsigned(String b64u) throws Exception {
        return new BigInteger(1, Base64Url.decode(b64u, "jwk member"));
    }
}
