package io.streembit.protocol.crypto;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmTest {
    private static byte[] iv(long counter) {
        return ByteBuffer.allocate(AesGcm.IV_BYTES).putInt(0).putLong(counter).array();
    }

    /** The kept cipher writes, message after message, exactly what a fresh one writes. */
    @Test
    void aKeptCipherSealsAndOpensLikeAFreshOnePerMessage() throws Exception {
        Random random = new Random(7);
        byte[] key = new byte[AesGcm.KEY_BYTES];
        random.nextBytes(key);
        AesGcm.Keyed sender = new AesGcm.Keyed(key);
        AesGcm.Keyed receiver = new AesGcm.Keyed(key);
        for (int n = 0; n < 200; n++) {
            byte[] message = new byte[random.nextInt(3000)];
            random.nextBytes(message);
            byte[] sealed = sender.seal(iv(n), message);
            AesGcm.Sealed fresh = AesGcm.seal(key, iv(n), message, null);
            byte[] joined = Arrays.copyOf(fresh.ciphertext(), fresh.ciphertext().length + AesGcm.TAG_BYTES);
            System.arraycopy(fresh.tag(), 0, joined, fresh.ciphertext().length, AesGcm.TAG_BYTES);
            assertThat(sealed).isEqualTo(joined);
            assertThat(receiver.open(iv(n), sealed)).isEqualTo(message);
        }
    }

    @Test
    void aModifiedFrameAWrongIvOrATruncatedFrameFailsAndTheCipherStaysUsable() throws Exception {
        byte[] key = new byte[AesGcm.KEY_BYTES];
        key[0] = 1;
        AesGcm.Keyed keyed = new AesGcm.Keyed(key);
        byte[] sealed = keyed.seal(iv(1), "hello".getBytes(StandardCharsets.UTF_8));
        byte[] flipped = sealed.clone();
        flipped[2] ^= 1;
        assertThatThrownBy(() -> keyed.open(iv(1), flipped)).isInstanceOf(AesGcm.TagMismatchException.class);
        assertThatThrownBy(() -> keyed.open(iv(2), sealed)).isInstanceOf(AesGcm.TagMismatchException.class);
        assertThatThrownBy(() -> keyed.open(iv(1), Arrays.copyOf(sealed, AesGcm.TAG_BYTES - 1)))
                .isInstanceOf(AesGcm.TagMismatchException.class);
        assertThat(new String(keyed.open(iv(1), sealed), StandardCharsets.UTF_8))
                .isEqualTo("hello");
        assertThatThrownBy(() -> new AesGcm.Keyed(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
