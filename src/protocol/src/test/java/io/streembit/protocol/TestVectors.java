package io.streembit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the independent JOSE vectors (a copy of shared/vectors/jose-secp256k1.json). */
public final class TestVectors {
    private TestVectors() {}

    public static JsonNode jose() {
        try (InputStream in = TestVectors.class.getResourceAsStream("/vectors/jose-secp256k1.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Identity identity(String privateHex) {
        try {
            return Identity.of(PrivateKey.fromBytes(Hex.decode(privateHex, 32, "private key")));
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The identity of the vector key whose public key is {@code publicHex}. */
    public static Identity vectorIdentity(String publicHex) {
        for (JsonNode key : jose().get("keys")) {
            if (key.get("public_compressed_hex").asText().equals(publicHex)) {
                return identity(key.get("private_hex").asText());
            }
        }
        throw new IllegalArgumentException("no vector key " + publicHex);
    }
}
