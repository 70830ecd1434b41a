package io.streembit.protocol.crypto;

import io.streembit.protocol.Hex;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5869 Appendix A test cases 1 and 3 (SHA-256). */
class HkdfTest {
    @Test
    void rfc5869TestCase1() throws Exception {
        byte[] ikm = Hex.decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", -1, "ikm");
        byte[] salt = Hex.decode("000102030405060708090a0b0c", -1, "salt");
        byte[] info = Hex.decode("f0f1f2f3f4f5f6f7f8f9", -1, "info");
        assertThat(Hex.encode(Hkdf.derive(ikm, salt, info, 42)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869TestCase3EmptySaltAndInfo() throws Exception {
        byte[] ikm = Hex.decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", -1, "ikm");
        assertThat(Hex.encode(Hkdf.derive(ikm, new byte[0], new byte[0], 42)))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }
}
