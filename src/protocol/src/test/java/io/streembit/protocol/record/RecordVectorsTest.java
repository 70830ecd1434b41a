package io.streembit.protocol.record;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Hex;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.jose.Jws;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-exact record vector printed in docs/protocol.md section 5. The literals below are
 * not just our own output replayed: the key is recomputed with the JDK's SHA-1, the signature
 * with Bouncy Castle's RFC 6979 signer (not our backend code), and the token verifies with
 * nimbus-jose-jwt.
 */
class RecordVectorsTest {
    static final String PRIVATE_HEX = "1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a";
    static final String PAYLOAD = "{\"pub\":\"02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8\","
            + "\"salt\":\"td\",\"seq\":1,\"iat\":1764000000,\"exp\":1764086400,\"log\":false,"
            + "\"val\":{\"title\":\"Lamp\",\"on\":true}}";
    static final String KEY = "08b8f6e178a2857bd2a2188c7cf63f7e781dbb39";
    static final String TOKEN =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJzdHJlZW1iaXQucmVjb3JkIn0."
                    + "eyJwdWIiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJzYWx0IjoidGQiLCJzZXEiOjEsImlhdCI6MTc2NDAwMDAwMCwiZXhwIjoxNzY0MDg2NDAwLCJsb2ciOmZhbHNlLCJ2YWwiOnsidGl0bGUiOiJMYW1wIiwib24iOnRydWV9fQ."
                    + "FlaH3W2C4J-tLwgGA5kqdYWyTFzHC3dbH_woQYxi1bkrgxFAkkU13VAzYoszoz5YgJXQcEd649WRhmCGhIbIIg";

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    private static RecordPayload payload() {
        return new RecordPayload(
                ALICE.publicKey(), "td", 1, 1764000000L, 1764086400L, false, json("{\"title\":\"Lamp\",\"on\":true}"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theFixedKeySignsTheFixedRecordToTheExactToken(Secp256k1 backend) throws Exception {
        assertThat(ALICE.publicKey().hex())
                .isEqualTo("02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8");
        assertThat(new String(payload().toBytes(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
        String token = Records.sign(new Jws(backend), ALICE, payload());
        assertThat(token).isEqualTo(TOKEN);
        assertThat(payload().key().hex()).isEqualTo(KEY);
        VerifiedRecord verified = new RecordValidator(RecordLimits.DEFAULTS, p -> true, new Jws(backend))
                .validate(payload().key(), TOKEN, Instant.ofEpochSecond(1764000000L));
        assertThat(verified.payload()).isEqualTo(payload());
    }

    @Test
    void theVectorKeyIsSha1OfPubZeroSalt() throws Exception {
        ByteArrayOutputStream preimage = new ByteArrayOutputStream();
        preimage.write(Hex.decode("02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8", 33, "pub"));
        preimage.write(0);
        preimage.write('t');
        preimage.write('d');
        assertThat(Hex.encode(MessageDigest.getInstance("SHA-1").digest(preimage.toByteArray())))
                .isEqualTo(KEY);
    }

    @Test
    void theVectorTokenIsTheStandardHeaderThePayloadAndAnIndependentRfc6979Signature() throws Exception {
        String[] parts = TOKEN.split("\\.");
        assertThat(new String(Base64Url.decode(parts[0], "h"), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"alg\":\"ES256K\",\"kid\":\"02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8\","
                                + "\"typ\":\"streembit.record\"}");
        assertThat(new String(Base64Url.decode(parts[1], "p"), StandardCharsets.UTF_8))
                .isEqualTo(PAYLOAD);

        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(PRIVATE_HEX, 16), domain));
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger s =
                rs[1].compareTo(curve.getN().shiftRight(1)) > 0 ? curve.getN().subtract(rs[1]) : rs[1];
        byte[] expected = new byte[64];
        System.arraycopy(fixed32(rs[0]), 0, expected, 0, 32);
        System.arraycopy(fixed32(s), 0, expected, 32, 32);
        assertThat(Base64Url.decode(parts[2], "s")).isEqualTo(expected);
    }

    @Test
    void nimbusVerifiesTheVectorToken() throws Exception {
        byte[] point = ALICE.publicKey().uncompressed();
        ECKey jwk = new ECKey.Builder(
                        Curve.SECP256K1,
                        Base64URL.encode(Arrays.copyOfRange(point, 1, 33)),
                        Base64URL.encode(Arrays.copyOfRange(point, 33, 65)))
                .build();
        ECDSAVerifier verifier = new ECDSAVerifier(jwk);
        verifier.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
        JWSObject jws = JWSObject.parse(TOKEN);
        assertThat(jws.verify(verifier)).isTrue();
        assertThat(jws.getPayload().toString()).isEqualTo(PAYLOAD);
    }

    private static byte[] fixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
