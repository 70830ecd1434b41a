package io.streembit.protocol.keyfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.identity.Identity;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class PemKeysTest {
    // Made with OpenSSL 3.0 (`openssl ecparam -name secp256k1 -genkey`), a throwaway test key;
    // `openssl ec -text` gives the private scalar and compressed public key below.
    static final String OPENSSL_SEC1 = """
            -----BEGIN EC PARAMETERS-----
            BgUrgQQACg==
            -----END EC PARAMETERS-----
            -----BEGIN EC PRIVATE KEY-----
            MHQCAQEEILW0t5IuvnjyRR+iCRima6z6UF6PdTY4cjMki6lucm7coAcGBSuBBAAK
            oUQDQgAEGPjC4cDb5W4E9Sg+GoqvrhS2m2ODrFHEBjhTLNW0rMdy95A8fgx1+8p1
            +njG4HvlU0htEiU/RhoZbfhFPNur+w==
            -----END EC PRIVATE KEY-----
            """;
    static final String OPENSSL_SEC1_PRIVATE_HEX =
            "b5b4b7922ebe78f2451fa20918a66bacfa505e8f75363872332" + "48ba96e726edc";
    static final String OPENSSL_SEC1_PUBLIC_HEX = "0318f8c2e1c0dbe56e04f5283e1a8aafae14b69b6383ac51c40638532cd5b4acc7";

    // A P-256 (prime256v1) key in PKCS#8, made with OpenSSL: must be refused as not secp256k1.
    static final String OPENSSL_P256_PKCS8 = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKQHAgDyXD4Kbq33C
            1Xgxe+S6cazrpxiX73eJYLMDrruhRANCAAQ7u+Cwi4TtOxsiPgpNtFTZvokJmMPl
            mND0BVFm5gcnlsl8hmXPcJ++G0e+eAOX47+XDzqtkxzDIyAFbCNCkkXr
            -----END PRIVATE KEY-----
            """;

    // The SEC1 key above, encrypted by OpenSSL two ways (PKCS#8 PBES2 and legacy PEM).
    static final String OPENSSL_ENCRYPTED_PKCS8 = """
            -----BEGIN ENCRYPTED PRIVATE KEY-----
            MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjTi/2IGw3CzQICCAAw
            DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEO3h9jxiFg118tHBuODA1RwEgZAo
            GfrofO4xCcefUnP+JZoYQvl21hhdMqGUFqq2mg8+OQL31stt30L7yUEYOIpmAKAI
            JLjy1Z4CK0/Mqjq3G8DF2WUo0UxcUGAaUqsJt9OCwHSmO3xljvRIyvIGuoQwIJFI
            EFVguqikMNdOQ9F11+3YbT9EfeJWIk5+FFVT6aK4K1fPuGp3V+7eT1HKUEThi0U=
            -----END ENCRYPTED PRIVATE KEY-----
            """;
    static final String OPENSSL_ENCRYPTED_SEC1 = """
            -----BEGIN EC PRIVATE KEY-----
            Proc-Type: 4,ENCRYPTED
            DEK-Info: AES-256-CBC,B6246659A76AFD04BD7F74C9A866C6C8

            PZpq4hxsqoDKvaewTEd3NaZHWAig91d2h5IjSbNgRHbibu1fcrt+skrRUarHCToO
            Y6TB/u+LzQNOuIMCeOLgAW2WQX1vgEo3ut/WPnSbgs5utS1d3nRXZXOOw/AprWlK
            6L9oz3MYgH8a5P/bVG50bAgRDo+LB1GhStFjKyUTMwQ=
            -----END EC PRIVATE KEY-----
            """;

    @Test
    void everyIndependentPkcs8VectorGivesItsPrivateKey() throws Exception {
        JsonNode keys = TestVectors.jose().get("keys");
        assertThat(keys.size()).isGreaterThan(0);
        for (JsonNode key : keys) {
            Identity identity =
                    PemKeys.importPrivateKey(key.get("private_pem_pkcs8").asText());
            assertThat(Hex.encode(identity.privateKey().exportSecret()))
                    .isEqualTo(key.get("private_hex").asText());
            assertThat(identity.publicKey().hex())
                    .isEqualTo(key.get("public_compressed_hex").asText());
        }
    }

    @Test
    void anOpenSslSec1KeyWithItsParametersBlockImports() throws Exception {
        Identity identity = PemKeys.importPrivateKey(OPENSSL_SEC1);
        assertThat(Hex.encode(identity.privateKey().exportSecret())).isEqualTo(OPENSSL_SEC1_PRIVATE_HEX);
        assertThat(identity.publicKey().hex()).isEqualTo(OPENSSL_SEC1_PUBLIC_HEX);
    }

    @Test
    void aSec1KeyWrittenByBouncyCastleImports() throws Exception {
        JsonNode vector = TestVectors.jose().get("keys").get(1);
        Identity expected = TestVectors.identity(vector.get("private_hex").asText());
        String pem = sec1Pem(
                expected.privateKey().exportSecret(), expected.publicKey().uncompressed(), true);
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        Identity imported = PemKeys.importPrivateKey(pem);
        assertThat(imported.account()).isEqualTo(expected.account());
        assertThat(imported.privateKey()).isEqualTo(expected.privateKey());
    }

    @Test
    void aSec1KeyThatNamesNoCurveIsRefused() {
        Identity identity = Identity.generate(new SecureRandom());
        String pem = sec1Pem(identity.privateKey().exportSecret(), null, false);
        assertRefused(pem, "names no curve");
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() {
        assertRefused(OPENSSL_P256_PKCS8, "not a secp256k1 key");
        assertRefused(OPENSSL_P256_PKCS8, "1.2.840.10045.3.1.7");
    }

    @Test
    void encryptedPemIsRefusedWithAClearMessage() {
        assertRefused(OPENSSL_ENCRYPTED_PKCS8, "encrypted");
        assertRefused(OPENSSL_ENCRYPTED_PKCS8, "decrypt it first");
        assertRefused(OPENSSL_ENCRYPTED_SEC1, "encrypted");
    }

    @Test
    void aPublicKeyThatIsNotThePrivateKeysIsRefused() {
        Identity a = Identity.generate(new SecureRandom());
        Identity b = Identity.generate(new SecureRandom());
        assertRefused(
                sec1Pem(a.privateKey().exportSecret(), b.publicKey().uncompressed(), true),
                "does not belong to its private key");
    }

    @Test
    void otherInputsAreRefusedSayingWhy() {
        assertRefused("", "no PEM private key found");
        assertRefused("just some text", "no PEM private key found");
        assertRefused(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
                "OPENSSH PRIVATE KEY");
        assertRefused(OPENSSL_SEC1 + OPENSSL_SEC1, "more than one");
        assertRefused("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "malformed");
    }

    @Test
    void mutatedPemNeverYieldsAnotherKey() throws Exception {
        long seed = 0x9e3_77b9L;
        Random rnd = new Random(seed);
        JsonNode key = TestVectors.jose().get("keys").get(0);
        String pem = key.get("private_pem_pkcs8").asText();
        String original = key.get("private_hex").asText();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-\n ";
        for (int i = 0; i < 3000; i++) {
            char[] chars = pem.toCharArray();
            int pos = rnd.nextInt(chars.length);
            chars[pos] = alphabet.charAt(rnd.nextInt(alphabet.length()));
            try {
                Identity identity = PemKeys.importPrivateKey(new String(chars));
                // Only an edit without meaning (a non-canonical base64 variant) may pass.
                assertThat(Hex.encode(identity.privateKey().exportSecret()))
                        .as("case %d seed %d", i, seed)
                        .isEqualTo(original);
            } catch (ProtocolException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.BAD_KEY_FILE);
            } catch (Throwable t) {
                fail("case " + i + " (seed " + seed + ") threw " + t, t);
            }
        }
    }

    private static void assertRefused(String pem, String message) {
        assertThatThrownBy(() -> PemKeys.importPrivateKey(pem))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.BAD_KEY_FILE);
    }

    /** SEC1 ECPrivateKey (RFC 5915) in PEM, built with Bouncy Castle's ASN.1 classes. */
    static String sec1Pem(byte[] secret, byte[] uncompressedPublic, boolean withCurve) {
        try {
            ECPrivateKey structure = withCurve
                    ? new ECPrivateKey(
                            256,
                            new BigInteger(1, secret),
                            uncompressedPublic == null ? null : new DERBitString(uncompressedPublic),
                            SECObjectIdentifiers.secp256k1)
                    : new ECPrivateKey(256, new BigInteger(1, secret));
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject("EC PRIVATE KEY", structure.getEncoded()));
            }
            return out.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
