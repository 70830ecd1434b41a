package io.streembit.protocol.jose;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import io.streembit.protocol.Backends;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.List;

import static io.streembit.protocol.jose.Forge.join;
import static io.streembit.protocol.jose.Forge.parts;
import static io.streembit.protocol.jose.Forge.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-check against an independent JOSE implementation: nimbus-jose-jwt's ES256K (over the
 * Bouncy Castle JCA provider, set on nimbus' own JCA context and never registered globally, so
 * the module's code cannot come to depend on it) verifies our tokens, and we verify its tokens.
 */
class NimbusInteropTest {
    private static final Provider BC = new BouncyCastleProvider();
    private static final ECParameterSpec SECP256K1 = Curve.SECP256K1.toECParameterSpec();
    private static final Identity ALICE =
            TestVectors.identity("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a");
    private static final Identity BOB =
            TestVectors.identity("00000000000000000000000000000000000000000000000000000000000000aa");

    static List<Secp256k1> backends() {
        return Backends.all();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void nimbusVerifiesOurTokens(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        for (Identity id : List.of(ALICE, BOB)) {
            ECDSAVerifier verifier = new ECDSAVerifier(jcaPublic(id));
            verifier.getJCAContext().setProvider(BC);
            for (int i = 0; i < 25; i++) {
                byte[] payload = ("{\"i\":" + i + ",\"text\":\"h\u00e9llo\"}").getBytes(StandardCharsets.UTF_8);
                String token = jws.sign(id, "example", payload);
                JWSObject parsed = JWSObject.parse(token);
                assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256K);
                assertThat(parsed.getHeader().getKeyID())
                        .isEqualTo(id.publicKey().hex());
                assertThat(parsed.getHeader().getType()).isEqualTo(new JOSEObjectType("example"));
                assertThat(parsed.verify(verifier))
                        .as("nimbus verifies case %d", i)
                        .isTrue();
                assertThat(parsed.getPayload().toBytes()).isEqualTo(payload);
            }
            // And nimbus does not accept our token for another key either.
            ECDSAVerifier other = new ECDSAVerifier(jcaPublic(id == ALICE ? BOB : ALICE));
            other.getJCAContext().setProvider(BC);
            assertThat(JWSObject.parse(jws.sign(id, "example", new byte[] {'1'}))
                            .verify(other))
                    .isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void weVerifyNimbusTokensAndRefuseTheirHighSForm(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        ECDSASigner signer = new ECDSASigner(jcaPrivate(ALICE), Curve.SECP256K1);
        signer.getJCAContext().setProvider(BC);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256K)
                .keyID(ALICE.publicKey().hex())
                .type(new JOSEObjectType("example"))
                .build();
        int lowS = 0;
        int highS = 0;
        // Nimbus signs with random nonces and does not normalise S: about half come out high-S.
        for (int i = 0; i < 60 || lowS == 0 || highS == 0; i++) {
            byte[] payload = ("{\"from\":\"nimbus\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            JWSObject object = new JWSObject(header, new Payload(payload));
            object.sign(signer);
            String token = object.serialize();
            byte[] sig = Base64Url.decode(parts(token)[2], "nimbus signature");
            assertThat(sig).hasSize(64);
            if (CurveParams.isHighS(sig)) {
                highS++;
                rejected(ErrorCode.HIGH_S, () -> jws.verify(token, ALICE.publicKey(), "example"));
                // The same signature normalised to low-S is what we accept.
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
                byte[] normalised = sig.clone();
                System.arraycopy(CurveParams.to32(CurveParams.N.subtract(s)), 0, normalised, 32, 32);
                String fixed = join(parts(token)[0], parts(token)[1], Base64Url.encode(normalised));
                assertThat(jws.verify(fixed, ALICE.publicKey(), "example").payload())
                        .isEqualTo(payload);
            } else {
                lowS++;
                VerifiedJws verified = jws.verify(token, ALICE.publicKey(), "example");
                assertThat(verified.payload()).isEqualTo(payload);
                assertThat(verified.signer()).isEqualTo(ALICE.publicKey());
                rejected(ErrorCode.KID_MISMATCH, () -> jws.verify(token, BOB.publicKey(), "example"));
            }
            assertThat(i)
                    .as("nimbus should give both forms within 200 signatures")
                    .isLessThan(200);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aNimbusTokenWithoutKidOrTypIsRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        ECDSASigner signer = new ECDSASigner(jcaPrivate(ALICE), Curve.SECP256K1);
        signer.getJCAContext().setProvider(BC);
        JWSObject noKid = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.ES256K)
                        .type(JOSEObjectType.JWT)
                        .build(),
                new Payload("{}"));
        noKid.sign(signer);
        rejected(ErrorCode.BAD_HEADER, () -> jws.verify(noKid.serialize(), ALICE.publicKey(), null));
        JWSObject noTyp = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.ES256K)
                        .keyID(ALICE.publicKey().hex())
                        .build(),
                new Payload("{}"));
        noTyp.sign(signer);
        rejected(ErrorCode.BAD_HEADER, () -> jws.verify(noTyp.serialize(), ALICE.publicKey(), null));
    }

    private static ECPublicKey jcaPublic(Identity id) throws Exception {
        byte[] point = id.publicKey().uncompressed();
        ECPoint w = new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(w, SECP256K1));
    }

    private static ECPrivateKey jcaPrivate(Identity id) throws Exception {
        byte[] secret = id.privateKey().exportSecret();
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC", BC)
                    .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, secret), SECP256K1));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
