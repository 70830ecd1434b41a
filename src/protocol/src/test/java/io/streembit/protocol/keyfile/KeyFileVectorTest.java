package io.streembit.protocol.keyfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-file vector of docs/protocol.md section 4, made by an independent implementation
 * (Python cryptography: OpenSSL's Argon2id and AES-GCM; see vectors/keyfile/make_keyfile_vector.py).
 */
class KeyFileVectorTest {
    private static final JsonNode VECTOR = load();

    @Test
    void theIndependentKeyFileOpensToItsPrivateKey() throws Exception {
        KeyFile file = KeyFile.parse(VECTOR.get("file").asText().getBytes(StandardCharsets.UTF_8));
        Identity identity = file.open(VECTOR.get("passcode").asText().toCharArray());
        assertThat(Hex.encode(identity.privateKey().exportSecret()))
                .isEqualTo(VECTOR.get("private_hex").asText());
        assertThat(file.account()).isEqualTo(identity.account());
        assertThat(file.kdf()).isEqualTo(new KdfParams(1024, 2, 1));
    }

    @Test
    void withTheSameSaltAndIvWeWriteTheIdenticalFile() throws Exception {
        Identity identity = TestVectors.identity(VECTOR.get("private_hex").asText());
        FixedRandom random = new FixedRandom(salt(), iv());
        KeyFile file = KeyFile.create(
                identity, VECTOR.get("passcode").asText().toCharArray(), new KdfParams(1024, 2, 1), random);
        assertThat(new String(file.toBytes(), StandardCharsets.UTF_8))
                .isEqualTo(VECTOR.get("file").asText());
    }

    @Test
    void intermediateValuesMatch() throws Exception {
        KeyFile file = KeyFile.parse(VECTOR.get("file").asText().getBytes(StandardCharsets.UTF_8));
        byte[] kek = PasscodeKdf.derive(VECTOR.get("passcode").asText().toCharArray(), salt(), file.kdf());
        assertThat(Hex.encode(kek)).isEqualTo(VECTOR.get("kek_hex").asText());
        assertThat(new String(KeyFile.aad(file.kdf(), salt(), file.publicKey()), StandardCharsets.US_ASCII))
                .isEqualTo(VECTOR.get("aad").asText());
    }

    @Test
    void theSpecificationShowsThisVector() throws Exception {
        // Tests run in src/protocol; the normative text is docs/protocol.md at the repository root.
        String spec = java.nio.file.Files.readString(java.nio.file.Path.of("..", "..", "docs", "protocol.md"));
        assertThat(spec)
                .contains(VECTOR.get("file").asText().strip())
                .contains(VECTOR.get("kek_hex").asText())
                .contains(VECTOR.get("aad").asText())
                .contains(VECTOR.get("private_hex").asText());
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        return salt;
    }

    private static byte[] iv() {
        byte[] iv = new byte[12];
        for (int i = 0; i < iv.length; i++) {
            iv[i] = (byte) (0xa0 + i);
        }
        return iv;
    }

    private static JsonNode load() {
        try (InputStream in = KeyFileVectorTest.class.getResourceAsStream("/vectors/keyfile/keyfile-v1.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
