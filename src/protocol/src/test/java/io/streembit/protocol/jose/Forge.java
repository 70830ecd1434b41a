package io.streembit.protocol.jose;

import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What an attacker (or a sloppy peer) can build: compact tokens with any header text, validly
 * signed by a real key, so that a rejection in a test is provably caused by the header or
 * encoding under test and not by a broken signature.
 */
final class Forge {
    private Forge() {}

    /** header-json . payload . ES256K signature by {@code signer} over exactly that signing input. */
    static String signed(Identity signer, Secp256k1 backend, String headerJson, byte[] payload) {
        String signingInput = b64(headerJson) + "." + Base64Url.encode(payload);
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII), backend);
        return signingInput + "." + Base64Url.encode(signature);
    }

    static String header(String alg, String kid, String typ) {
        return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"}";
    }

    static String b64(String text) {
        return Base64Url.encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(String b64u) throws ProtocolException {
        return new String(Base64Url.decode(b64u, "test part"), StandardCharsets.UTF_8);
    }

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    static String join(String... parts) {
        return String.join(".", parts);
    }

    /** Re-encodes one part after flipping the low bit of one of its decoded bytes. */
    static String flipByte(String part, int index) throws ProtocolException {
        byte[] bytes = Base64Url.decode(part, "test part");
        bytes[index] ^= 0x01;
        return Base64Url.encode(bytes);
    }

    /** Asserts that {@code action} fails with exactly {@code code}; returns the exception. */
    static ProtocolException rejected(ErrorCode code, Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertThat(e.code()).as("error code (message: %s)", e.getMessage()).isEqualTo(code);
        return e;
    }
}
