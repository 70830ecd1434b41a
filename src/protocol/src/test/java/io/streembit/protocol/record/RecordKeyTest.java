package io.streembit.protocol.record;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordKeyTest {
    @Test
    void keyIsSha1OfCompressedKeyZeroByteAndUtf8Salt() throws Exception {
        for (String salt : new String[] {"", "td", "feed", "cmd/" + BOB.account(), "grüße/温度"}) {
            ByteArrayOutputStream preimage = new ByteArrayOutputStream();
            preimage.write(Hex.decode(ALICE.publicKey().hex(), 33, "pub"));
            preimage.write(0);
            preimage.write(salt.getBytes(StandardCharsets.UTF_8));
            byte[] expected = MessageDigest.getInstance("SHA-1").digest(preimage.toByteArray());
            assertThat(RecordKey.of(ALICE.publicKey(), salt).hex()).as(salt).isEqualTo(Hex.encode(expected));
        }
    }

    @Test
    void differentPublishersAndSaltsGiveDifferentKeys() {
        assertThat(RecordKey.of(ALICE.publicKey(), "td")).isNotEqualTo(RecordKey.of(BOB.publicKey(), "td"));
        assertThat(RecordKey.of(ALICE.publicKey(), "td")).isNotEqualTo(RecordKey.of(ALICE.publicKey(), "feed"));
        assertThat(RecordKey.of(ALICE.publicKey(), "")).isNotEqualTo(RecordKey.of(ALICE.publicKey(), "\0"));
    }

    @Test
    void saltIsLimitedTo64Utf8BytesNotCharacters() throws Exception {
        assertThat(RecordKey.saltBytes("a".repeat(64))).hasSize(64);
        assertThat(RecordKey.saltBytes("ü".repeat(32))).hasSize(64);
        assertThatThrownBy(() -> RecordKey.saltBytes("ü".repeat(33)))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> RecordKey.saltBytes("a".repeat(65)))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void aSaltWithAnUnpairedSurrogateIsRefusedBecauseUtf8CannotEncodeIt() {
        // Java would encode both as "?", so they would collide on one key.
        assertThatThrownBy(() -> RecordKey.saltBytes("x\ud800"))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> RecordKey.of(ALICE.publicKey(), "\udc00"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
