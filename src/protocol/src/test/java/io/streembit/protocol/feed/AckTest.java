package io.streembit.protocol.feed;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.feed.FeedFixtures.NOW;
import static io.streembit.protocol.feed.FeedFixtures.verify;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckTest {
    @Test
    void theValueIsTheNumberAlone() throws Exception {
        assertThat(Json.text(new Ack(42).toJson())).isEqualTo("{\"n\":42}");
        assertThat(Ack.fromJson(json("{\"n\":42}"))).isEqualTo(new Ack(42));
    }

    @Test
    void theSaltAndKeyNameTheDeviceUnderTheGatewaysKey() {
        assertThat(Ack.salt(DEVICE.account())).isEqualTo("ack/" + DEVICE.account());
        assertThat(Ack.key(GATEWAY.publicKey(), DEVICE.account()))
                .isEqualTo(RecordKey.of(GATEWAY.publicKey(), "ack/" + DEVICE.account()));
    }

    @Test
    void theSignedAckIsASlotRecordAtSeqN() throws Exception {
        String token = new Ack(7).sign(GATEWAY, DEVICE.account(), NOW, NOW + 3600);
        VerifiedRecord record = verify(Ack.key(GATEWAY.publicKey(), DEVICE.account()), token);
        assertThat(record.isLog()).isFalse();
        assertThat(record.seq()).isEqualTo(7);
        assertThat(record.publisher()).isEqualTo(GATEWAY.publicKey());
        assertThat(Ack.fromJson(record.payload().val())).isEqualTo(new Ack(7));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{}", "{\"n\":0}", "{\"n\":-1}", "{\"n\":1.5}", "{\"n\":\"3\"}", "{\"n\":3,\"m\":4}", "[3]", "3"
            })
    void otherValuesAreMalformed(String value) {
        assertThatThrownBy(() -> Ack.fromJson(json(value)))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void nothingIsAcknowledgedBeforeTheFirstEntry() {
        assertThatThrownBy(() -> new Ack(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }
}
