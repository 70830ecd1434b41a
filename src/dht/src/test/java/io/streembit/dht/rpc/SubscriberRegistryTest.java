package io.streembit.dht.rpc;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberRegistryTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static NodeId key(int i) {
        return NodeId.sha1Of(ByteBuffer.allocate(4).putInt(i).array());
    }

    @Test
    void subscriptionsAreBoundedPerPeerAndInAll() {
        SubscriberRegistry registry = new SubscriberRegistry(10, 25);
        Contact a = Contact.of(Identity.generate(RANDOM).publicKey(), "10.0.0.1", 4000);
        Contact b = Contact.of(Identity.generate(RANDOM).publicKey(), "10.0.0.2", 4000);
        Contact c = Contact.of(Identity.generate(RANDOM).publicKey(), "10.0.0.3", 4000);
        for (int i = 0; i < 10; i++) {
            assertThat(registry.subscribe(key(i), a, 300, 0)).isEqualTo(300);
            assertThat(registry.subscribe(key(i), b, 300, 0)).isEqualTo(300);
        }
        assertThat(registry.subscribe(key(10), a, 300, 0))
                .as("a's eleventh key")
                .isEqualTo(-1);
        for (int i = 0; i < 5; i++) {
            assertThat(registry.subscribe(key(i), c, 300, 0)).isEqualTo(300);
        }
        assertThat(registry.subscribe(key(5), c, 300, 0))
                .as("the 26th subscription")
                .isEqualTo(-1);
        // renewing is not a new subscription
        assertThat(registry.subscribe(key(0), a, 300, 0)).isEqualTo(300);
        // once they expire, there is room again
        assertThat(registry.subscribe(key(5), c, 300, 301_000)).isEqualTo(300);
        assertThat(registry.size()).isEqualTo(1);
    }
}
