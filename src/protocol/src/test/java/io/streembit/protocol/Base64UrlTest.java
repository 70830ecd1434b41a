package io.streembit.protocol;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Strict base64url: exactly one accepted text per byte string. The reference for "canonical"
 * is the JDK's encoder: a text is accepted exactly when it decodes and re-encodes to itself.
 */
class Base64UrlTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Test
    void everyByteStringRoundTrips() throws ProtocolException {
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertThat(Base64Url.decode(Base64Url.encode(bytes), "test")).isEqualTo(bytes);
        }
    }

    @Test
    void acceptsATextExactlyWhenItIsTheCanonicalEncodingOfWhatItDecodesTo() {
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                // mostly the alphabet, sometimes padding, '+', '/', a space or a non-ASCII char
                text.append(
                        random.nextInt(20) == 0
                                ? "=+/ é".charAt(random.nextInt(5))
                                : ALPHABET.charAt(random.nextInt(64)));
            }
            String t = text.toString();
            boolean canonical = isCanonical(t);
            if (canonical) {
                assertThat(catching(t)).as(t).isNull();
            } else {
                assertThat(catching(t)).as(t).isNotNull();
            }
        }
    }

    @Test
    void refusesNonZeroTrailingBitsPaddingAndTheStandardAlphabet() {
        assertThatThrownBy(() -> Base64Url.decode("QR", "x"))
                .hasMessageContaining("not canonical"); // "QQ" is the canonical form
        assertThatThrownBy(() -> Base64Url.decode("QUF", "x")).hasMessageContaining("not canonical"); // "QUE"
        assertThatThrownBy(() -> Base64Url.decode("QQ==", "x")).hasMessageContaining("not unpadded base64url");
        assertThatThrownBy(() -> Base64Url.decode("a+/b", "x")).hasMessageContaining("not unpadded base64url");
        assertThatThrownBy(() -> Base64Url.decode("abcde", "x")).hasMessageContaining("impossible base64url length");
    }

    private static ProtocolException catching(String text) {
        try {
            Base64Url.decode(text, "test");
            return null;
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ENCODING);
            return e;
        }
    }

    private static boolean isCanonical(String text) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
