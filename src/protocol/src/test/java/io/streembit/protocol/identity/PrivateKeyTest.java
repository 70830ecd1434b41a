package io.streembit.protocol.identity;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Private scalars: only [1, n-1] is a key, and the secret never shows in text. */
class PrivateKeyTest {
    private static final BigInteger N = CurveParams.N;

    private static byte[] scalar(BigInteger value) {
        return CurveParams.to32(value);
    }

    private static void refused(byte[] bytes, String why) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> PrivateKey.fromBytes(bytes));
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_KEY);
        assertThat(e.getMessage()).contains(why);
        if (bytes.length > 0) {
            assertThat(e.getMessage()).doesNotContain(Hex.encode(bytes));
        }
    }

    @Test
    void onlyScalarsFromOneToNMinusOneAreKeys() throws Exception {
        assertThat(N.toString(16)).isEqualTo("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        refused(new byte[32], "outside [1, n-1]");
        refused(scalar(N), "outside [1, n-1]");
        refused(scalar(N.add(BigInteger.ONE)), "outside [1, n-1]");
        byte[] max = new byte[32];
        Arrays.fill(max, (byte) 0xff);
        refused(max, "outside [1, n-1]");
        refused(new byte[31], "32 bytes");
        refused(new byte[33], "32 bytes");
        refused(new byte[0], "32 bytes");
        assertThat(PrivateKey.fromBytes(scalar(BigInteger.ONE)).exportSecret()).isEqualTo(scalar(BigInteger.ONE));
        assertThat(PrivateKey.fromBytes(scalar(N.subtract(BigInteger.ONE))).exportSecret())
                .isEqualTo(scalar(N.subtract(BigInteger.ONE)));
    }

    @Test
    void theKeyOfScalarOneIsTheGenerator() throws Exception {
        Identity one = Identity.of(PrivateKey.fromBytes(scalar(BigInteger.ONE)));
        // G of secp256k1 (SEC 2, section 2.4.1), compressed.
        assertThat(one.publicKey().hex())
                .isEqualTo("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    }

    @Test
    void generatedKeysAreInRangeAndTheInputIsCopied() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 100; i++) {
            BigInteger d = new BigInteger(
                    1, PrivateKey.generate(PublicKeyTest.seeded(random)).exportSecret());
            assertThat(d.signum()).isPositive();
            assertThat(d).isLessThan(N);
        }
        // A source that first offers 0 and n must be asked again, not trusted.
        byte[][] offers = {new byte[32], scalar(N), scalar(BigInteger.TWO)};
        SecureRandom stubborn = new SecureRandom() {
            int next;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(offers[next++], 0, bytes, 0, 32);
            }
        };
        assertThat(PrivateKey.generate(stubborn).exportSecret()).isEqualTo(scalar(BigInteger.TWO));

        byte[] input = scalar(BigInteger.TEN);
        PrivateKey key = PrivateKey.fromBytes(input);
        input[31] = 11;
        assertThat(key.exportSecret()).isEqualTo(scalar(BigInteger.TEN));
        byte[] exported = key.exportSecret();
        exported[31] = 12;
        assertThat(key.exportSecret()).isEqualTo(scalar(BigInteger.TEN));
    }

    @Test
    void noTextFormShowsTheSecret() throws Exception {
        Random random = new Random(99L);
        for (int i = 0; i < 50; i++) {
            Identity id = Identity.generate(PublicKeyTest.seeded(random));
            byte[] secret = id.privateKey().exportSecret();
            String hex = Hex.encode(secret);
            String upper = hex.toUpperCase();
            String decimal = new BigInteger(1, secret).toString();
            String b64 = java.util.Base64.getEncoder().encodeToString(secret);
            String b64u = io.streembit.protocol.Base64Url.encode(secret);
            for (String text : new String[] {
                id.privateKey().toString(),
                id.toString(),
                String.valueOf(id.privateKey()),
                "" + id,
                Arrays.toString(new Object[] {id, id.privateKey()})
            }) {
                assertThat(text)
                        .doesNotContain(hex)
                        .doesNotContain(upper)
                        .doesNotContain(decimal)
                        .doesNotContain(b64)
                        .doesNotContain(b64u)
                        .doesNotContain(hex.substring(0, 16));
            }
            assertThat(id.toString()).contains(id.account());
        }
    }

    @Test
    void destroyWipesTheSecret() throws Exception {
        PrivateKey key = PrivateKey.fromBytes(scalar(BigInteger.valueOf(12345)));
        key.destroy();
        assertThat(key.exportSecret()).containsOnly(0);
    }
}
