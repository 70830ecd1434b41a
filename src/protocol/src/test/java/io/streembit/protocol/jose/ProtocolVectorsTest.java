package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.ConcatKdf;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-exact vectors published in docs/protocol.md (sections identity, jws, jwe). Each is
 * reproduced by every backend and checked by a path independent of this module's code: the
 * JDK's SHA-1 for node ids; libsecp256k1 and Bouncy Castle agreeing on the RFC 6979 signature,
 * plus nimbus-jose-jwt verifying it; for the JWE, a decryption written here from the JCA
 * (Bouncy Castle's ECDH provider, the JDK's AES-GCM) and the RFC 7518-checked Concat KDF.
 * The intermediate Z and CEK were also checked once with OpenSSL (pyca/cryptography).
 */
class ProtocolVectorsTest {
    static final String PRIVATE_A = "1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a";
    static final String PUBLIC_A = "02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8";
    static final String NODE_ID_A = "0cb5f7c0b4abef0c76c571999a6ec28227264fdc";
    static final String PRIVATE_B = "00000000000000000000000000000000000000000000000000000000000000aa";
    static final String PUBLIC_B = "02f9502d540ca7d5ab09ea89e83889fa4bcd0b27f7eec5752f4fa07b1b19160f3b";
    static final String NODE_ID_B = "48330e922ac27414c4bcfeb1359eccde78151d7a";

    static final String JWS_TYP = "example";
    static final String JWS_PAYLOAD = "{\"hello\":\"streembit\"}";
    static final String JWS_TOKEN =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJleGFtcGxlIn0"
                    + ".eyJoZWxsbyI6InN0cmVlbWJpdCJ9"
                    + ".6eHBm_BYPNAtoUzRl512cIFEZ3IDFe6zYlyJBRbNR0BnVTNia_ujLINIFZddmldXsC9h9RHBa7YadyL5i0H_LQ";

    static final String JWE_EPHEMERAL = "3a1d8f0c6b2e4a7d9c5f1e3b8a6d2c4f7e9b1a3c5d8f2e4a6c9b1d3f5a7c8e21";
    static final String JWE_IV = "0f1e2d3c4b5a69788796a5b4";
    static final String JWE_PLAINTEXT =
            "{\"n\":1,\"readings\":[{\"name\":\"temperature\",\"ts\":1764000000,\"value\":21.5}]}";
    static final String JWE_Z = "3d2f7b9205e89342e027fa7d7381e8325fd1432ba22b732afba82ee7d85dcf0a";
    static final String JWE_CEK = "63536a5a1a473d45ad89ebb5c03c78ad015dc4461c4548919735a58de679e465";
    static final String JWE_TOKEN =
            "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImVwayI6eyJrdHkiOiJFQyIsImNydiI6InNlY3AyNTZrMSIsIngiOiJZby1ya24xSnFLM25WMU9Md2hPUWVrRTYwVlBiQlZibTZSaEtMVnBETlBnIiwieSI6IkdLRWFrUUFsTWJGeXNLd3RPTWRDVXZpckhyMklrQ05DRnVDbnZaVzluajgifX0"
                    + "."
                    + ".Dx4tPEtaaXiHlqW0"
                    + ".E3wVBbYLiRe0WQLIOw1tchwiCwSx_KSHe2IWK-WoDC8ende25BADvAUI9KuPsL5TZ37e80lLkASCyJ5ULATQbLbIvorrEGkc"
                    + ".ap7x9Xjk8ffCi8THf2cTZA";

    static final String ENV_TYP = "example+envelope";
    static final String ENV_EPHEMERAL = "5c2e9a7b1d4f6083a5c7e9b2d4f618a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6";
    static final String ENV_IV = "a0a1a2a3a4a5a6a7a8a9aaab";
    static final String ENV_PLAINTEXT = "{\"id\":\"c1\",\"action\":\"unlock\",\"input\":null,\"exp\":1764003600}";
    static final String ENV_Z = "1604a5a87d3a25079f24a382a0f81ae2a4a643d9703699dab72ba94d3939c15b";
    static final String ENV_CEK = "fc73ab38221574b9485046fb113ec9fe522da21fbe9042e11957756e6f432204";
    static final String ENV_TOKEN =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJleGFtcGxlK2VudmVsb3BlIn0"
                    + ".ZXlKaGJHY2lPaUpGUTBSSUxVVlRJaXdpWlc1aklqb2lRVEkxTmtkRFRTSXNJbVZ3YXlJNmV5SnJkSGtpT2lKRlF5SXNJbU55ZGlJNkluTmxZM0F5TlRack1TSXNJbmdpT2lKMVF6TkRZMHRWTldSa2MzRlNXVFJOTjNGSmFHRjFNVzlHYkZOeFRIQnJZMmcyTTJKYWRGSndSa1ozSWl3aWVTSTZJbkpYV0VSSFIwdEpOemhoWVVGRVVFWjVVa0ZSVEhKdk1FdExjekZYYW05dWVpMVNNVlpyYjBZd0xXTWlmU3dpYVhOeklqb2lNR05pTldZM1l6QmlOR0ZpWldZd1l6YzJZelUzTVRrNU9XRTJaV015T0RJeU56STJOR1prWXlKOS4ub0tHaW82U2xwcWVvcWFxci5DMTNqLTRSVk9FMHFtRmJQeUFrNEJIVnpPU0Q0T0liOXA1RGtobTJ1ODRIbWp1MlA5ZWFteUx4Z1R4UmNZUkU0UU5CUERSakZDcDVVQnlBLmR6cE91Z0kyRUgta0tabmdYUElGNkE"
                    + ".zcQFsvu8x4eqrQcrU_BpgpHhuE-gNZczdwTtQSfmYSMRRW1NziAlLgtQ93PlynjfDli2aNsPjahNdSlOrPD8WQ";

    private static final Identity A = TestVectors.identity(PRIVATE_A);
    private static final Identity B = TestVectors.identity(PRIVATE_B);
    private static final Provider BC = new BouncyCastleProvider();

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    @Test
    void nodeIdsAreSha1OfTheCompressedKeys() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        assertThat(A.publicKey().hex()).isEqualTo(PUBLIC_A);
        assertThat(B.publicKey().hex()).isEqualTo(PUBLIC_B);
        assertThat(Hex.encode(sha1.digest(Hex.decode(PUBLIC_A, 33, "a")))).isEqualTo(NODE_ID_A);
        assertThat(Hex.encode(sha1.digest(Hex.decode(PUBLIC_B, 33, "b")))).isEqualTo(NODE_ID_B);
        assertThat(PublicKey.fromHex(PUBLIC_A).nodeId().hex()).isEqualTo(NODE_ID_A);
        assertThat(PublicKey.fromHex(PUBLIC_B).nodeId().hex()).isEqualTo(NODE_ID_B);
        assertThat(A.account()).isEqualTo(NODE_ID_A);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theJwsVectorIsReproducedAndVerifiesElsewhere(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        assertThat(jws.sign(A, JWS_TYP, JWS_PAYLOAD.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(JWS_TOKEN);
        assertThat(jws.verify(JWS_TOKEN, A.publicKey(), JWS_TYP).payloadText()).isEqualTo(JWS_PAYLOAD);
        assertThat(Forge.text(Forge.parts(JWS_TOKEN)[0]))
                .isEqualTo("{\"alg\":\"ES256K\",\"kid\":\"" + PUBLIC_A + "\",\"typ\":\"example\"}");
        ECDSAVerifier verifier = new ECDSAVerifier(jcaPublic(PUBLIC_A));
        verifier.getJCAContext().setProvider(BC);
        assertThat(JWSObject.parse(JWS_TOKEN).verify(verifier)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theJweVectorIsReproducedAndDecryptsIndependently(Secp256k1 backend) throws Exception {
        Jwe jwe = new Jwe(backend, new FixedRandom(Hex.decode(JWE_EPHEMERAL, 32, "e"), Hex.decode(JWE_IV, 12, "iv")));
        assertThat(jwe.encrypt(B.publicKey(), JWE_PLAINTEXT.getBytes(StandardCharsets.UTF_8), null))
                .isEqualTo(JWE_TOKEN);
        assertThat(new String(jwe.decrypt(JWE_TOKEN, B).plaintext(), StandardCharsets.UTF_8))
                .isEqualTo(JWE_PLAINTEXT);
        assertThat(independentDecrypt(JWE_TOKEN, PRIVATE_B, JWE_Z, JWE_CEK)).isEqualTo(JWE_PLAINTEXT);
        ObjectNode header = Json.parseObject(Base64Url.decode(Forge.parts(JWE_TOKEN)[0], "h"), "h");
        assertThat(header.has("iss")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theEnvelopeVectorIsReproducedAndOpens(Secp256k1 backend) throws Exception {
        SignedEnvelope envelope = new SignedEnvelope(
                new Jws(backend),
                new Jwe(backend, new FixedRandom(Hex.decode(ENV_EPHEMERAL, 32, "e"), Hex.decode(ENV_IV, 12, "iv"))));
        assertThat(envelope.seal(A, B.publicKey(), ENV_TYP, ENV_PLAINTEXT.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ENV_TOKEN);
        OpenedEnvelope opened = envelope.open(ENV_TOKEN, B, ENV_TYP, A.publicKey());
        assertThat(opened.plaintextText()).isEqualTo(ENV_PLAINTEXT);
        assertThat(opened.author()).isEqualTo(A.publicKey());

        String inner = new String(Base64Url.decode(Forge.parts(ENV_TOKEN)[1], "payload"), StandardCharsets.US_ASCII);
        ObjectNode innerHeader = Json.parseObject(Base64Url.decode(Forge.parts(inner)[0], "h"), "h");
        assertThat(innerHeader.get("iss").textValue()).isEqualTo(NODE_ID_A);
        assertThat(independentDecrypt(inner, PRIVATE_B, ENV_Z, ENV_CEK)).isEqualTo(ENV_PLAINTEXT);
        ECDSAVerifier verifier = new ECDSAVerifier(jcaPublic(PUBLIC_A));
        verifier.getJCAContext().setProvider(BC);
        assertThat(JWSObject.parse(ENV_TOKEN).verify(verifier)).isTrue();
    }

    @Test
    void theSpecificationPublishesExactlyTheseVectors() throws Exception {
        String doc = Files.readString(findDoc());
        for (String value : List.of(
                PRIVATE_A,
                PUBLIC_A,
                NODE_ID_A,
                PRIVATE_B,
                PUBLIC_B,
                NODE_ID_B,
                JWS_PAYLOAD,
                JWS_TOKEN,
                JWE_EPHEMERAL,
                JWE_IV,
                JWE_PLAINTEXT,
                JWE_Z,
                JWE_CEK,
                JWE_TOKEN,
                ENV_EPHEMERAL,
                ENV_IV,
                ENV_PLAINTEXT,
                ENV_Z,
                ENV_CEK,
                ENV_TOKEN)) {
            assertThat(doc).as("docs/protocol.md carries the vector value").contains(value);
        }
    }

    /** ECDH-ES + A256GCM decryption written from the JCA alone, to check the vector from outside. */
    private static String independentDecrypt(String token, String recipientHex, String expectedZ, String expectedCek)
            throws Exception {
        String[] p = Forge.parts(token);
        ObjectNode header = Json.parseObject(Base64Url.decode(p[0], "h"), "h");
        ObjectNode epk = (ObjectNode) header.get("epk");
        ECParameterSpec spec = Curve.SECP256K1.toECParameterSpec();
        KeyFactory factory = KeyFactory.getInstance("EC", BC);
        ECPublicKey ephemeral = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(
                new ECPoint(
                        new BigInteger(1, Base64Url.decode(epk.get("x").textValue(), "x")),
                        new BigInteger(1, Base64Url.decode(epk.get("y").textValue(), "y"))),
                spec));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH", BC);
        agreement.init(factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(recipientHex, 16), spec)));
        agreement.doPhase(ephemeral, true);
        byte[] z = agreement.generateSecret();
        assertThat(Hex.encode(z)).isEqualTo(expectedZ);
        byte[] cek = ConcatKdf.derive(z, 256, "A256GCM", new byte[0], new byte[0]);
        assertThat(Hex.encode(cek)).isEqualTo(expectedCek);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        cipher.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(cek, "AES"),
                new GCMParameterSpec(128, Base64Url.decode(p[2], "iv")));
        cipher.updateAAD(p[0].getBytes(StandardCharsets.US_ASCII));
        byte[] ct = Base64Url.decode(p[3], "ct");
        byte[] tag = Base64Url.decode(p[4], "tag");
        byte[] in = Arrays.copyOf(ct, ct.length + tag.length);
        System.arraycopy(tag, 0, in, ct.length, tag.length);
        return new String(cipher.doFinal(in), StandardCharsets.UTF_8);
    }

    private static ECPublicKey jcaPublic(String compressedHex) throws Exception {
        byte[] point = PublicKey.fromHex(compressedHex).uncompressed();
        ECPoint w = new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC", BC)
                .generatePublic(new ECPublicKeySpec(w, Curve.SECP256K1.toECParameterSpec()));
    }

    private static Path findDoc() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("protocol.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException(
                "docs/protocol.md not found above " + Paths.get("").toAbsolutePath());
    }
}
