package io.streembit.dht.transport;

import io.streembit.dht.DhtOptions;
import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class PeerGuardTest {
    @Test
    void theRateBucketsOfManyIdentitiesAndAddressesAreBounded() {
        PeerGuard guard = new PeerGuard(
                DhtOptions.PeerLimits.defaults().withTrackedPeers(100).withLimitLoopback(true));
        for (int i = 0; i < 5_000; i++) {
            NodeId id = NodeId.sha1Of(ByteBuffer.allocate(4).putInt(i).array());
            guard.admitFrame(id, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), i);
            guard.ban(id, "10.1." + (i >> 8 & 255) + "." + (i & 255), 0);
        }
        assertThat(guard.trackedBuckets()).isLessThanOrEqualTo(300);
        assertThat(guard.trackedBans()).isLessThanOrEqualTo(200);
    }

    @Test
    void aNetworkIsTheSlash24OfIpv4AndTheSlash64OfIpv6WhateverTheSpelling() {
        assertThat(PeerGuard.prefix("192.0.2.7")).isEqualTo(PeerGuard.prefix("192.0.2.200"));
        assertThat(PeerGuard.prefix("192.0.2.7")).isNotEqualTo(PeerGuard.prefix("192.0.3.7"));
        assertThat(PeerGuard.prefix("::ffff:192.0.2.9")).isEqualTo(PeerGuard.prefix("192.0.2.7"));
        assertThat(PeerGuard.prefix("2001:db8:0:1::5")).isEqualTo(PeerGuard.prefix("2001:0db8:0000:0001:ffff::1"));
        assertThat(PeerGuard.prefix("2001:db8:0:1::5")).isNotEqualTo(PeerGuard.prefix("2001:db8:0:2::5"));
        // a name is never resolved here: it is its own network
        assertThat(PeerGuard.prefix("example.invalid")).isEqualTo("example.invalid");
    }
}
