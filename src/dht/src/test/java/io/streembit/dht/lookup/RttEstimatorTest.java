package io.streembit.dht.lookup;

import io.streembit.protocol.identity.NodeId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    private static NodeId id(int i) {
        return NodeId.sha1Of(("peer " + i).getBytes(StandardCharsets.US_ASCII));
    }

    private static RttEstimator estimator() {
        return new RttEstimator(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void beforeAnythingIsMeasuredThePatienceIsTheInitialOne() {
        RttEstimator rtt = estimator();
        assertThat(rtt.patienceMillis(id(1), true)).isEqualTo(1000);
        assertThat(rtt.patienceMillis(id(1), false)).isEqualTo(1000);
        assertThat(rtt.dialPatienceMillis()).isEqualTo(1000);
    }

    @Test
    void aPeersPatienceIsItsRtoAsRfc6298ComputesIt() {
        RttEstimator rtt = estimator();
        // first sample R: SRTT = R, RTTVAR = R / 2, RTO = 3 R
        rtt.sample(id(1), true, 60 * MS);
        assertThat(rtt.patienceMillis(id(1), true)).isEqualTo(180);
        // second sample 40: RTTVAR = 3/4 * 30 + 1/4 * 20 = 27.5, SRTT = 7/8 * 60 + 1/8 * 40 = 57.5
        rtt.sample(id(1), true, 40 * MS);
        assertThat(rtt.patienceMillis(id(1), true)).isEqualTo(168);
    }

    @Test
    void patienceIsClampedBetweenTheFloorAndTheRequestTimeout() {
        RttEstimator rtt = estimator();
        rtt.sample(id(1), true, 2 * MS);
        rtt.sample(id(2), true, 30_000 * MS);
        assertThat(rtt.patienceMillis(id(1), true)).isEqualTo(100);
        assertThat(rtt.patienceMillis(id(2), true)).isEqualTo(5000);
    }

    @Test
    void anUnmeasuredPeerGetsTheNodeWideEstimateAndAFirstContactThreeRoundTrips() {
        RttEstimator rtt = estimator();
        rtt.sample(id(1), true, 50 * MS);
        assertThat(rtt.patienceMillis(id(2), true)).isEqualTo(150);
        // a dial: TCP connect, hello exchange, request; the connection must be up within two RTOs
        assertThat(rtt.patienceMillis(id(2), false)).isEqualTo(450);
        assertThat(rtt.dialPatienceMillis()).isEqualTo(300);
        // dials measured slower than that lengthen it
        rtt.sample(id(3), false, 900 * MS);
        assertThat(rtt.patienceMillis(id(2), false)).isEqualTo(2700);
    }

    @Test
    void thePeerTableIsBounded() {
        RttEstimator rtt = estimator();
        for (int i = 0; i < RttEstimator.MAX_PEERS + 500; i++) {
            rtt.sample(id(i), true, 10 * MS);
        }
        assertThat(rtt.knownPeers()).isEqualTo(RttEstimator.MAX_PEERS);
    }
}
