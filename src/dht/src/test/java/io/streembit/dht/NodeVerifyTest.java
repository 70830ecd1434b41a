package io.streembit.dht;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;

import static io.streembit.dht.TestNetwork.await;
import static io.streembit.dht.TestNetwork.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DhtNode#verify}: a token is checked against the key its own payload names, and
 * anything that is no three-part JWS fails as a {@code malformed} {@link ProtocolException}.
 */
class NodeVerifyTest {
    private static final Identity PUBLISHER = Identity.generate(TestNetwork.RANDOM);

    @Test
    void aRecordIsVerifiedUnderTheKeyItsPayloadNames() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            DhtNode node = net.add(TestNetwork.testOptions());
            VerifiedRecord record = node.verify(record(PUBLISHER, "ack", 3, false, new IntNode(3)));
            assertThat(record.key()).isEqualTo(RecordKey.of(PUBLISHER.publicKey(), "ack"));
            assertThat(record.seq()).isEqualTo(3);
        }
    }

    @Test
    void whatIsNoThreePartTokenIsMalformed() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            DhtNode node = net.add(TestNetwork.testOptions());
            String token = record(PUBLISHER, "ack", 3, false, new IntNode(3));
            String twoParts = token.substring(0, token.lastIndexOf('.'));
            for (String bad : new String[] {twoParts, token + ".", "", "no-dots-at-all", null}) {
                assertThatThrownBy(() -> node.verify(bad))
                        .as(String.valueOf(bad))
                        .isInstanceOf(ProtocolException.class)
                        .extracting(e -> ((ProtocolException) e).code())
                        .isEqualTo(ErrorCode.MALFORMED);
            }
            // a put reports it as the put's failure, typed, not as a NullPointerException
            assertThatThrownBy(() -> await(node.put(null))).isInstanceOf(ProtocolException.class);
        }
    }
}
