package io.streembit.dht.routing;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableClosestTest {
    @Test
    void closestMatchesABruteForceRankingByXorDistance() throws Exception {
        long seed = 7;
        Random random = new Random(seed);
        SecureRandom keys = SecureRandom.getInstance("SHA1PRNG");
        keys.setSeed(seed);
        NodeId self = Identity.generate(keys).nodeId();
        RoutingTable table = new RoutingTable(self, 20, 0);
        for (int i = 0; i < 400; i++) {
            table.offer(Contact.of(Identity.generate(keys).publicKey(), "127.0.0.1", 1000 + i), i);
        }
        List<Contact> members = table.all();
        assertThat(members).hasSizeGreaterThan(20);
        for (int round = 0; round < 600; round++) {
            NodeId target;
            if (round == 0) {
                target = self;
            } else if (round % 3 == 0) {
                byte[] bytes = new byte[NodeId.BYTES];
                random.nextBytes(bytes);
                target = NodeId.fromBytes(bytes);
            } else {
                // near our own id too, where the table is sparse and buckets below the target's matter
                target = table.randomIdInBucket(random.nextInt(RoutingTable.ID_BITS), random);
            }
            int n = 1 + random.nextInt(members.size() + 5);
            // independent reference: the XOR distance as an unsigned big integer
            List<Contact> expected = new ArrayList<>(members);
            expected.sort(Comparator.comparing(
                    (Contact c) -> new BigInteger(1, c.id().bytes()).xor(new BigInteger(1, target.bytes()))));
            assertThat(table.closest(target, n))
                    .as("seed %d round %d", seed, round)
                    .containsExactlyElementsOf(expected.subList(0, Math.min(n, expected.size())));
        }
    }
}
