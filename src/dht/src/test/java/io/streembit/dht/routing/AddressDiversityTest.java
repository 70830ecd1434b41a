package io.streembit.dht.routing;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 3: the 2-per-subnet rule applies to the address, whatever its spelling. */
class AddressDiversityTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Three identities that fall into one bucket of {@code self}'s table. */
    private static List<Identity> sameBucket(NodeId self) {
        List<Identity> out = new ArrayList<>();
        while (out.size() < 3) {
            Identity id = Identity.generate(RANDOM);
            if (self.bucketIndex(id.nodeId()) == 159) {
                out.add(id);
            }
        }
        return out;
    }

    @Test
    void anotherSpellingOfTheSameIpv6Slash64CountsAsTheSameNetwork() {
        NodeId self = NodeId.sha1Of(new byte[] {1});
        RoutingTable table = new RoutingTable(self, 20, 0);
        List<Identity> ids = sameBucket(self);
        String[] hosts = {"2001:db8:0:1::5", "2001:0db8:0000:0001::6", "2001:DB8:0:1:0:0:0:7"};
        assertThat(table.offer(Contact.of(ids.get(0).publicKey(), hosts[0], 4000), 0)
                        .accepted())
                .isTrue();
        assertThat(table.offer(Contact.of(ids.get(1).publicKey(), hosts[1], 4000), 0)
                        .accepted())
                .isTrue();
        assertThat(table.offer(Contact.of(ids.get(2).publicKey(), hosts[2], 4000), 0)
                        .accepted())
                .as("a third contact of 2001:db8:0:1::/64")
                .isFalse();
    }

    @Test
    void anIpv4MappedAddressCountsAsItsIpv4Slash24() {
        NodeId self = NodeId.sha1Of(new byte[] {2});
        RoutingTable table = new RoutingTable(self, 20, 0);
        List<Identity> ids = sameBucket(self);
        assertThat(table.offer(Contact.of(ids.get(0).publicKey(), "198.51.100.1", 4000), 0)
                        .accepted())
                .isTrue();
        assertThat(table.offer(Contact.of(ids.get(1).publicKey(), "198.51.100.2", 4000), 0)
                        .accepted())
                .isTrue();
        assertThat(table.offer(Contact.of(ids.get(2).publicKey(), "::ffff:198.51.100.3", 4000), 0)
                        .accepted())
                .isFalse();
    }
}
