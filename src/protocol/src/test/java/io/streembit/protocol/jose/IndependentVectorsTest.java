package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Backends;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every vector made by an independent implementation (shared/vectors) passes, on every backend. */
class IndependentVectorsTest {
    static List<Secp256k1> backends() {
        return Backends.all();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyIndependentEs256kTokenVerifies(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        JsonNode valid = TestVectors.jose().get("jws_valid");
        assertThat(valid.size()).isGreaterThan(0);
        for (JsonNode v : valid) {
            PublicKey key = PublicKey.fromHex(v.get("public_compressed_hex").asText());
            VerifiedJws verified = jws.verify(v.get("token").asText(), key, "JWT");
            assertThat(verified.payloadText()).isEqualTo(v.get("payload").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyHighSFormIsRefused(Secp256k1 backend) throws Exception {
        Jws jws = new Jws(backend);
        JsonNode highS = TestVectors.jose().get("jws_high_s");
        assertThat(highS.size()).isGreaterThan(0);
        for (JsonNode v : highS) {
            PublicKey key = PublicKey.fromHex(v.get("public_compressed_hex").asText());
            assertThatThrownBy(() -> jws.verify(v.get("token").asText(), key, null))
                    .isInstanceOf(ProtocolException.class)
                    .extracting(e -> ((ProtocolException) e).code())
                    .isEqualTo(ErrorCode.HIGH_S);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyIndependentJweDecrypts(Secp256k1 backend) throws Exception {
        Jwe jwe = new Jwe(backend, new SecureRandom());
        JsonNode tokens = TestVectors.jose().get("jwe");
        assertThat(tokens.size()).isGreaterThan(0);
        for (JsonNode v : tokens) {
            Identity recipient = TestVectors.vectorIdentity(
                    v.get("recipient_public_compressed_hex").asText());
            DecryptedJwe decrypted = jwe.decrypt(v.get("token").asText(), recipient);
            assertThat(new String(decrypted.plaintext(), StandardCharsets.UTF_8))
                    .isEqualTo(v.get("plaintext").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anIndependentJweDoesNotDecryptForTheOtherKey(Secp256k1 backend) {
        Jwe jwe = new Jwe(backend, new SecureRandom());
        JsonNode keys = TestVectors.jose().get("keys");
        for (JsonNode v : TestVectors.jose().get("jwe")) {
            String recipient = v.get("recipient_public_compressed_hex").asText();
            JsonNode other =
                    keys.get(0).get("public_compressed_hex").asText().equals(recipient) ? keys.get(1) : keys.get(0);
            Identity wrong = TestVectors.identity(other.get("private_hex").asText());
            assertThatThrownBy(() -> jwe.decrypt(v.get("token").asText(), wrong))
                    .extracting(e -> ((ProtocolException) e).code())
                    .isEqualTo(ErrorCode.DECRYPT_FAILED);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void vectorKeysDeriveTheirPublishedPublicKeys(Secp256k1 backend) throws Exception {
        for (JsonNode key : TestVectors.jose().get("keys")) {
            Identity id = TestVectors.identity(key.get("private_hex").asText());
            assertThat(id.publicKey().hex())
                    .isEqualTo(key.get("public_compressed_hex").asText());
            byte[] scalar = id.privateKey().exportSecret();
            assertThat(io.streembit.protocol.Hex.encode(backend.publicKey(scalar)))
                    .isEqualTo(key.get("public_compressed_hex").asText());
        }
    }
}
